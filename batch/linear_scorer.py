"""The shipped pipeline's `predict_proba`, recomputed a chunk at a time with numpy alone.

Same text preparation (the functions of `model.text`, on a whole chunk joined into one
string), same vocabulary, same float32 arithmetic in the same order as scikit-learn and
SciPy (log tf + 1, times idf, l2 norm summed in float64 row by row, sparse dot product
accumulated in float32 entry by entry, softmax), so the probabilities are bit-identical to
`StanceModel.predict_proba`; tests check that. What it saves is per-row Python: scikit-learn
calls the tokenizer once per text and builds every n-gram string, and the cue regexes try
forty alternatives at each character. Pipelines of another shape raise `Unsupported`, and the
caller falls back to the model itself.
"""

from collections.abc import Sequence

import numpy as np

from batch.model_state import Placeholder, kind
from model import text
from model.cue_patterns import CUE_REGEXES
from model.labels import LABELS

from batch.cue_counter import CueCounter

# A separator between texts that normalisation leaves alone and that starts no URL or number.
_SEPARATOR_CHARS = range(0xE000, 0xF900)  # the Basic Multilingual Plane's private-use area
_TOKENIZER_MODES = {"word_tokens": (True, True), "plain_word_tokens": (True, False),
                    "unstemmed_word_tokens": (False, True)}  # name -> (stem, negation)
_UNKNOWN, _DROPPED, _BREAK = -1, -2, -3
_TOKEN_CACHE_LIMIT = 300_000


class Unsupported(Exception):
    """The pipeline is not one this scorer reproduces exactly."""


def normalize_many(texts: Sequence[str]) -> tuple[str, str] | None:
    """(normalize of the texts joined by a separator, the separator), or None if no separator fits.

    Normalisation works character by character or on matches that cannot cross a line break
    and a private-use character, so normalising the joined string equals joining the
    normalised texts (tests check it on arbitrary text).
    """
    whole = "".join(texts)
    for code in _SEPARATOR_CHARS:
        char = chr(code)
        if char not in whole:
            separator = f"\n{char}\n"
            return text.normalize(separator.join(texts)), separator
    return None


class _WordBlock:
    """A word n-gram TfidfVectorizer with one of `model.text`'s tokenizers."""

    def __init__(self, vectorizer: Placeholder) -> None:
        v = vectorizer.__dict__
        tokenizer = kind(v.get("tokenizer"))
        name = tokenizer.rsplit(".", 1)[-1]
        if not tokenizer.startswith("model.text.") or name not in _TOKENIZER_MODES:
            raise Unsupported(f"tokenizer {tokenizer or v.get('tokenizer')!r}")
        if (v.get("analyzer") != "word" or kind(v.get("preprocessor")) != "model.features._identity"
                or v.get("lowercase") or v.get("binary") or v.get("stop_words") is not None):
            raise Unsupported("word vectorizer settings")
        self.stem, self.negation = _TOKENIZER_MODES[name]
        self.low, self.high = v["ngram_range"]
        if not 1 <= self.low <= self.high <= 4:
            raise Unsupported(f"ngram_range {v['ngram_range']}")
        tfidf = v["_tfidf"].__dict__
        self.sublinear = bool(tfidf.get("sublinear_tf"))
        self.idf = np.asarray(tfidf["idf_"]) if tfidf.get("use_idf") else None
        self.norm = tfidf.get("norm")
        if self.norm not in ("l2", None):
            raise Unsupported(f"norm {self.norm!r}")
        self.dtype = np.dtype(v.get("dtype", np.float64))
        vocabulary: dict[str, int] = v["vocabulary_"]
        self.width = len(vocabulary)
        words: dict[str, int] = {}
        self.ngram_maps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        by_n: dict[int, list[tuple[list[int], int]]] = {}
        for term, column in vocabulary.items():
            parts = term.split(" ")
            ids = [words.setdefault(p, len(words)) for p in parts]
            by_n.setdefault(len(parts), []).append((ids, column))
        self.words = words
        base = len(words) + 1
        if base ** self.high >= 2**62:
            raise Unsupported("vocabulary too large for exact n-gram keys")
        self.base = base
        for n, entries in by_n.items():
            keys = np.asarray([_key(ids, base) for ids, _ in entries], dtype=np.int64)
            columns = np.asarray([c for _, c in entries], dtype=np.int64)
            order = np.argsort(keys)
            self.ngram_maps[n] = (keys[order], columns[order])
        # raw token -> slot in the arrays below (kind, id unmarked, id negation-marked);
        # slot 0 is the break between two texts, whatever character marks it in a chunk.
        self._slots: dict[str, int] = {}
        self._reset()

    def _reset(self) -> None:
        self._slots.clear()
        self._kind, self._plain, self._marked = [1], [_BREAK], [_BREAK]
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _final_id(self, token: str) -> int:
        if not token[0].isalnum():  # what drop_punctuation removes, after stemming/marking
            return _DROPPED
        return self.words.get(token, _UNKNOWN)

    def _add(self, raw: str) -> None:
        if len(self._slots) >= _TOKEN_CACHE_LIMIT:  # bounded memory on endless vocabularies
            self._reset()
        self._slots[raw] = len(self._kind)
        plain = text.stem(raw) if self.stem else raw
        marked = raw + text.NEGATION_SUFFIX
        if self.stem:
            marked = text.stem_tokens([marked])[0]
        self._kind.append(text._token_kind(raw) if self.negation else 0)
        self._plain.append(self._final_id(plain))
        self._marked.append(self._final_id(marked))
        self._arrays = None

    def counts(self, normalized: str, separator: str, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row of each entry, column, count) sorted by row then column, as CountVectorizer's CSR."""
        tokens = text.tokenize(normalized)
        mark = separator.strip()  # a private-use character: a token of its own
        slots = self._slots
        for _ in range(2):  # twice: the cache may have been emptied while adding
            for raw in set(tokens).difference(slots):
                if raw != mark:
                    self._add(raw)
        before = slots.get(mark)
        slots[mark] = 0  # in this chunk the mark is the break (elsewhere it may be a token)
        try:
            index = np.fromiter(map(slots.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        finally:
            if before is None:
                del slots[mark]
            else:
                slots[mark] = before
        if self._arrays is None:
            self._arrays = (np.asarray(self._kind, dtype=np.int8), np.asarray(self._plain, dtype=np.int64),
                            np.asarray(self._marked, dtype=np.int64))
        kinds, plain, marked = self._arrays
        ids = plain[index]
        if self.negation:
            k = kinds[index]
            positions = np.arange(index.size)
            last_negation = np.maximum.accumulate(np.where(k == 2, positions, -1))
            last_clause = np.maximum.accumulate(np.where(k == 1, positions, -1))
            in_scope = np.zeros(index.size, dtype=bool)
            in_scope[1:] = last_negation[:-1] > last_clause[:-1]
            scoped = in_scope & (k != 1)
            ids = np.where(scoped, marked[index], ids)
        ids = ids[ids != _DROPPED]
        breaks = ids == _BREAK
        doc = np.cumsum(breaks)
        rows, columns = [], []
        for n in range(self.low, self.high + 1):
            if ids.size < n:
                continue
            windows = [ids[i: ids.size - n + 1 + i] for i in range(n)]
            valid = np.ones(windows[0].size, dtype=bool)
            key = np.zeros(windows[0].size, dtype=np.int64)
            for w in windows:
                valid &= w >= 0
                key = key * self.base + np.where(w >= 0, w, 0)
            keys, cols = self.ngram_maps.get(n, (np.zeros(0, np.int64), np.zeros(0, np.int64)))
            if keys.size == 0:
                continue
            where = np.searchsorted(keys, key)
            where[where >= keys.size] = 0
            found = valid & (keys[where] == key)
            rows.append(doc[: windows[0].size][found])
            columns.append(cols[where[found]])
        row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        col = np.concatenate(columns) if columns else np.zeros(0, np.int64)
        combined, count = np.unique(row * self.width + col, return_counts=True)
        return combined // self.width, combined % self.width, count

    def values(self, normalized: str, separator: str, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, columns, counts = self.counts(normalized, separator, n_docs)
        data = counts.astype(self.dtype)
        if self.sublinear:
            np.log(data, data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[columns]
        if self.norm == "l2":
            data = _l2_normalize(rows, data, n_docs)
        return rows, columns, data


class _CueBlock:
    """`model.cues.CueMatcher`: log1p of each cue group's count."""

    width = len(CUE_REGEXES)

    def __init__(self) -> None:
        self.counter = CueCounter(list(CUE_REGEXES.values()))

    def values(self, normalized: str, separator: str, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        texts = normalized.split(separator)
        dense = np.log1p(self.counter.count(texts).astype(np.float64)).astype(np.float32)
        rows, columns = np.nonzero(dense)
        return rows, columns, dense[rows, columns]


class LinearScorer:
    """`predict_proba` of a fitted word-n-gram/cue logistic regression pipeline."""

    def __init__(self, pipeline: Placeholder) -> None:
        if kind(pipeline) != "sklearn.pipeline.Pipeline":
            raise Unsupported(f"model is a {kind(pipeline) or type(pipeline).__name__}")
        steps = pipeline.steps
        if len(steps) != 2 or kind(steps[0][1]) != "sklearn.pipeline.FeatureUnion":
            raise Unsupported("pipeline steps")
        union, classifier = steps[0][1].__dict__, steps[1][1].__dict__
        if kind(steps[1][1]) != "sklearn.linear_model._logistic.LogisticRegression":
            raise Unsupported(f"classifier {kind(steps[1][1])}")
        if union.get("transformer_weights"):
            raise Unsupported("transformer weights")
        self.blocks = []
        for _name, transformer in union["transformer_list"]:
            which = kind(transformer)
            if which == "sklearn.feature_extraction.text.TfidfVectorizer":
                self.blocks.append(_WordBlock(transformer))
            elif which == "model.cues.CueMatcher":
                self.blocks.append(_CueBlock())
            else:
                raise Unsupported(f"feature block {which or transformer!r}")
        self.coef_t = np.ascontiguousarray(np.asarray(classifier["coef_"]).T)
        self.intercept = np.asarray(classifier["intercept_"])
        classes = [str(c) for c in classifier["classes_"]]
        if sorted(classes) != sorted(LABELS) or self.coef_t.shape[1] != len(classes):
            raise Unsupported(f"classes {classes}")
        self.order = np.asarray([classes.index(label) for label in LABELS])
        if self.coef_t.shape[0] != sum(b.width for b in self.blocks):
            raise Unsupported("feature count differs from the coefficients")

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities in `LABELS` order, equal to the model's `predict_proba`."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(LABELS)))
        joined = normalize_many(texts)
        if joined is None:  # the texts hold all 6,400 private-use characters: one at a time
            if n == 1:
                raise ValueError("a text holding every private-use character cannot be scored here")
            return np.vstack([self.predict_proba([t]) for t in texts])
        normalized, separator = joined
        rows, columns, data, offset = [], [], [], 0
        for block in self.blocks:
            r, c, d = block.values(normalized, separator, n)
            rows.append(r)
            columns.append(c + offset)
            data.append(d)
            offset += block.width
        row = np.concatenate(rows)
        # FeatureUnion's hstack keeps, within a row, the blocks in order and each block's order.
        order = np.argsort(row, kind="stable")
        row, column, value = row[order], np.concatenate(columns)[order], np.concatenate(data)[order]
        scores = _sparse_dot(row, column, value, self.coef_t, n) + self.intercept
        return _softmax(scores)[:, self.order]


def _key(ids: list[int], base: int) -> int:
    key = 0
    for i in ids:
        key = key * base + i
    return key


def _positions(rows: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's position within its row, and the entries sorted by (position, row)."""
    starts = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=starts[1:])
    position = np.arange(rows.size) - starts[rows]
    return position, np.argsort(position, kind="stable")


def _l2_normalize(rows: np.ndarray, data: np.ndarray, n_rows: int) -> np.ndarray:
    """scikit-learn's in-place CSR l2 normalisation: float32 squares summed in float64, in order."""
    squares = (data * data).astype(np.float64)
    sums = np.zeros(n_rows, dtype=np.float64)
    position, order = _positions(rows, n_rows)
    bounds = np.searchsorted(position[order], np.arange(position.max(initial=-1) + 2))
    for k in range(len(bounds) - 1):
        chosen = order[bounds[k]: bounds[k + 1]]
        sums[rows[chosen]] += squares[chosen]
    norms = np.sqrt(sums)
    scale = norms[rows]
    keep = scale != 0.0
    out = data.copy()
    out[keep] = (data[keep].astype(np.float64) / scale[keep]).astype(data.dtype)
    return out


def _sparse_dot(rows, columns, values, coef_t: np.ndarray, n_rows: int) -> np.ndarray:
    """SciPy's CSR x dense product: per row, y += value * coef[column], entry by entry."""
    dtype = np.result_type(values.dtype, coef_t.dtype)
    out = np.zeros((n_rows, coef_t.shape[1]), dtype=dtype)
    if rows.size == 0:
        return out
    position, order = _positions(rows, n_rows)
    bounds = np.searchsorted(position[order], np.arange(position.max() + 2))
    values = values.astype(dtype, copy=False)
    for k in range(len(bounds) - 1):
        chosen = order[bounds[k]: bounds[k + 1]]
        out[rows[chosen]] += values[chosen, None] * coef_t[columns[chosen]]
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    """scikit-learn's `softmax(copy=False)`, step for step."""
    scores -= scores.max(axis=1).reshape(-1, 1)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1).reshape(-1, 1)
    return scores
