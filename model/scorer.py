"""The stance pipeline's `predict_proba`, compiled: one exact scorer for every caller.

`StanceModel` (and so the service and the quote finder) and the batch workers all score
with `CompiledScorer`. It is built from a fitted pipeline's numbers (vocabularies, idf
weights, coefficients), read from the real scikit-learn objects or from the placeholders of
`model.pipeline_state` alike, so a batch worker needs neither scikit-learn nor SciPy.

What scikit-learn spends its time on is per-call input checking and per-text Python: the
tokenizer builds every n-gram string, and each cue group tries its ~25 alternatives at every
character. Here a text is cut at its spaces into pieces, and what a piece contributes is
cached: its word ids after tokenising, stemming and dropping punctuation, and the offsets
where a cue phrase may start (`model.cue_counter`). N-grams are looked up as integer keys.

The arithmetic repeats scikit-learn's and SciPy's, operation for operation and in the same
floating-point type, so the probabilities are identical to the pipeline's, not merely close:
log(tf) + 1, times idf, the l2 norm (float32 squares summed in float64 in column order), the
sparse product accumulated entry by entry in the product's type, the intercept, the softmax.
One text takes the row path: plain Python with `array` rounding to float32 where numpy's
per-call overhead would dominate, numpy for the ordered sum and the softmax. Many texts take
the chunk path: the same numpy operations as scikit-learn's on the whole chunk, with the
ordered per-row sums done one position at a time across rows. Tests hold both to the
pipeline's own `predict_proba` on the corpus and on random text.

A pipeline of another shape (another classifier, a feature block not listed here, weights on
the union) gets `Unsupported` from `CompiledScorer` (None from `compile_scorer`), and callers
keep using scikit-learn.
"""

from bisect import bisect_left
from collections import _count_elements  # Counter's C helper: counts into a plain dict
from collections.abc import Sequence
from itertools import chain, islice, repeat
from math import sqrt
from operator import add, mul

import numpy as np

from model import text
from model.cue_counter import CueCounter
from model.cue_patterns import CUE_GROUPS, CUE_REGEXES
from model.labels import LABELS
from model.pipeline_state import attributes, kind

# Below this many texts, scoring them one by one beats the chunk path's fixed cost.
ROW_PATH_LIMIT = 24
PIECE_CACHE_LIMIT = 100_000  # cached pieces per block before a cache starts afresh
_TF_TABLE = 256  # tf weights of counts below this are looked up, not computed
_TOKENIZERS = {  # model.text tokenizer -> (stemmed, negation-marked)
    "model.text.word_tokens": (True, True),
    "model.text.plain_word_tokens": (True, False),
    "model.text.unstemmed_word_tokens": (False, True),
}
_TYPECODES = {np.dtype(np.float32): "f", np.dtype(np.float64): "d"}
_WHITE_SPACES = __import__("re").compile(r"\s\s+")  # TfidfVectorizer's own, for char_wb


class Unsupported(Exception):
    """The pipeline is not one this scorer reproduces exactly."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise Unsupported(what)


def _columns_and_counts(found: list[int]) -> tuple[list[int], list[int] | None]:
    """CountVectorizer's row from the columns of a text's n-grams (-1 for one not in the
    vocabulary): its columns in increasing order, and their counts (None when all are 1)."""
    found.sort()
    known = bisect_left(found, 0)
    counts: dict[int, int] = {}
    _count_elements(counts, islice(found, known, None))
    columns = list(counts)  # met in sorted order, so sorted
    return columns, (None if len(columns) == len(found) - known else list(counts.values()))


class _TfidfBlock:
    """A TfidfVectorizer's transform: counts over its vocabulary, tf, idf, norm."""

    def __init__(self, vectorizer: object) -> None:
        v = attributes(vectorizer)
        _check(v.get("input") == "content", f"vectorizer input {v.get('input')!r}")
        self.dtype = np.dtype(v.get("dtype", np.float64))
        _check(self.dtype in _TYPECODES, f"vectorizer dtype {self.dtype}")
        self.typecode = _TYPECODES[self.dtype]
        tfidf = attributes(v["_tfidf"])
        self.binary = bool(v.get("binary"))
        self.sublinear = bool(tfidf.get("sublinear_tf"))
        self.norm = tfidf.get("norm")
        _check(self.norm in ("l1", "l2", None), f"norm {self.norm!r}")
        idf = tfidf.get("idf_") if tfidf.get("use_idf") else None
        self.idf = None if idf is None else np.asarray(idf)
        self.idf_list = None if idf is None else self.idf.tolist()
        self.vocabulary: dict[str, int] = v["vocabulary_"]
        self.width = len(self.vocabulary)
        _check(self.idf is None or self.idf.shape == (self.width,), "idf length")
        low, high = v["ngram_range"]
        self.low, self.high = int(low), int(high)
        _check(1 <= self.low <= self.high, f"ngram_range {v['ngram_range']}")
        # tf weight of each small count, computed by the same numpy operations as below
        self._tf = self._tf_weights(np.arange(_TF_TABLE))

    def _tf_weights(self, counts: np.ndarray) -> np.ndarray:
        """TfidfTransformer's tf of counts (before idf): the steps scikit-learn runs on X.data."""
        data = np.asarray(counts).astype(self.dtype)
        if self.binary:
            data.fill(1)
        if self.sublinear:
            with np.errstate(divide="ignore"):  # count 0 is never used
                np.log(data, data)
            data += 1.0
        return data

    def counts(self, normalized: str, pieces: list[str]) -> tuple[list[int], list[int]]:
        """The text's columns in increasing order and their counts (CountVectorizer's row)."""
        raise NotImplementedError

    def row_values(self, columns: list[int], counts: list[int] | None) -> np.ndarray:
        """TfidfTransformer's values for one row, in its order and floating-point type."""
        values = self.idf[columns] if self.idf is not None else np.ones(len(columns), dtype=self.dtype)
        if counts is not None and not self.binary:
            counts_ = np.asarray(counts)
            tf = self._tf[counts_] if counts_.max() < _TF_TABLE else self._tf_weights(counts_)
            values = tf * values  # X.data (tf) *= idf[X.indices]
        if self.norm is not None:  # sklearn's _inplace_csr_row_normalize_l1/l2: sums in double, in order
            terms = values * values if self.norm == "l2" else np.abs(values)
            total = float(terms.cumsum(dtype=np.float64)[-1])
            if total != 0.0:
                scale = sqrt(total) if self.norm == "l2" else total
                values = np.divide(values, scale, dtype=np.float64).astype(self.dtype)
        return values

    def chunk_values(self, columns: np.ndarray, counts: np.ndarray, indptr: np.ndarray) -> np.ndarray:
        """TfidfTransformer.transform's data array for a chunk's CSR counts."""
        data = self._tf_weights(counts)  # the steps scikit-learn runs on X.data, on the same array
        if self.idf is not None:
            data *= self.idf[columns]
        if self.norm is not None and data.size:
            if self.norm == "l2":
                sums = _ordered_row_sums((data * data).astype(np.float64), indptr)
                scale = np.sqrt(sums)
            else:
                scale = _ordered_row_sums(np.abs(data).astype(np.float64), indptr)
            scale = np.repeat(scale, np.diff(indptr))
            keep = scale != 0.0
            data[keep] = (data[keep].astype(np.float64) / scale[keep]).astype(self.dtype)
        return data


class _WordBlock(_TfidfBlock):
    """TfidfVectorizer(analyzer="word") with one of `model.text`'s tokenizers."""

    def __init__(self, vectorizer: object) -> None:
        super().__init__(vectorizer)
        v = attributes(vectorizer)
        tokenizer = kind(v.get("tokenizer"))
        _check(tokenizer in _TOKENIZERS, f"tokenizer {tokenizer}")
        _check(kind(v.get("preprocessor")) == "model.features._identity", "word preprocessor")
        _check(v.get("stop_words") is None, "stop words")
        self.stemmed, self.negation = _TOKENIZERS[tokenizer]
        # Vocabulary terms as word ids; an n-gram's key is its ids as digits in base `base`.
        # Unknown words get id `unknown`, a digit no term has, so no key holding one matches.
        terms = [(term.split(" "), column) for term, column in self.vocabulary.items()]
        words: dict[str, int] = {}
        for parts, _column in terms:
            _check(self.low <= len(parts) <= self.high, f"term {' '.join(parts)!r}")
            for part in parts:
                words.setdefault(part, len(words))
        self.words = words
        self.unknown = len(words)
        self.base = len(words) + 1
        self.ngrams: dict[int, dict[int, int]] = {n: {} for n in range(1, self.high + 1)}
        for parts, column in terms:
            key = 0
            for part in parts:
                key = key * self.base + words[part]
            self.ngrams[len(parts)][key] = column
        self._pieces: dict[str, tuple] = {}
        self._stem = text.stem.__wrapped__  # uncached: the piece cache holds the results

    def _word_id(self, token: str) -> int | None:
        """Id of a finished token (stemmed, marked); None when drop_punctuation removes it."""
        if not token[0].isalnum():
            return None
        return self.words.get(token, self.unknown)

    def _piece(self, piece: str) -> tuple:
        raw_tokens = text.tokenize(piece)
        if self.negation:  # (kind, id unmarked, id marked) of every raw token, punctuation too
            out = []
            for raw in raw_tokens:
                base = self._stem(raw) if self.stemmed else raw
                out.append((text.token_kind(raw), self._word_id(base), self._word_id(base + text.NEGATION_SUFFIX)))
            result = tuple(out)
        else:
            ids = (self._word_id(self._stem(raw) if self.stemmed else raw) for raw in raw_tokens)
            result = tuple(i for i in ids if i is not None)
        if len(self._pieces) >= PIECE_CACHE_LIMIT:
            self._pieces.clear()
        self._pieces[piece] = result
        return result

    def _ids(self, pieces: list[str]) -> list[int]:
        cache = self._pieces
        found = list(map(cache.get, pieces))
        if None in found:
            found = [cache[p] if p in cache else self._piece(p) for p in pieces]
        if not self.negation:
            return list(chain.from_iterable(found))
        # mark_negation_scope, then drop_punctuation
        ids = []
        in_scope = False
        for token_kind, plain, marked in chain.from_iterable(found):
            if token_kind == 1:
                in_scope = False
                chosen = plain
            elif in_scope:
                chosen = marked
            else:
                chosen = plain
                in_scope = token_kind == 2
            if chosen is not None:
                ids.append(chosen)
        return ids

    def counts(self, normalized: str, pieces: list[str]) -> tuple[list[int], list[int] | None]:
        ids = self._ids(pieces)
        missing = repeat(-1)  # the column of an n-gram not in the vocabulary; sorts first
        found = list(map(self.ngrams[1].get, ids, missing)) if self.low == 1 else []
        keys = ids
        for n in range(2, min(self.high, len(ids)) + 1):
            keys = list(map(add, map(mul, keys, repeat(self.base)), islice(ids, n - 1, None)))
            if n >= self.low:
                found.extend(map(self.ngrams[n].get, keys, missing))
        return _columns_and_counts(found)


class _CharBlock(_TfidfBlock):
    """TfidfVectorizer(analyzer="char_wb", preprocessor=model.text.char_text)."""

    def __init__(self, vectorizer: object) -> None:
        super().__init__(vectorizer)
        v = attributes(vectorizer)
        _check(kind(v.get("preprocessor")) == "model.text.char_text", "char preprocessor")
        self._words: dict[str, tuple[int, ...]] = {}

    def _word(self, word: str) -> tuple[int, ...]:
        """Columns of the n-grams of one word, as `_char_wb_ngrams` makes them."""
        padded = f" {word} "
        grams = []
        for n in range(self.low, self.high + 1):
            offset = 0
            grams.append(padded[offset: offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset: offset + n])
            if offset == 0:  # a short word (len < n) is counted once
                break
        columns = tuple(c for c in map(self.vocabulary.get, grams) if c is not None)
        if len(self._words) >= PIECE_CACHE_LIMIT:
            self._words.clear()
        self._words[word] = columns
        return columns

    def counts(self, normalized: str, pieces: list[str]) -> tuple[list[int], list[int]]:
        document = _WHITE_SPACES.sub(" ", " ".join(normalized.split()))  # char_text, then sklearn's
        cache = self._words
        found = list(chain.from_iterable(cache[w] if w in cache else self._word(w) for w in document.split()))
        return _columns_and_counts(found)


class _CueBlock:
    """`model.cues.CueMatcher`: log(1 + count) of each cue group, float32."""

    width = len(CUE_GROUPS)
    dtype = np.dtype(np.float32)

    def __init__(self) -> None:
        self.counter = CueCounter(list(CUE_REGEXES.values()))
        # CueMatcher takes numpy's log1p of the count, then stores it as float32.
        self._values = [self._value(count) for count in range(256)]

    @staticmethod
    def _value(count: int) -> float:
        return float(np.float32(np.log1p(count)))

    def row(self, normalized: str, pieces: list[str]) -> tuple[list[int], list[float]]:
        columns, values = [], []
        for column, count in enumerate(self.counter.count(normalized, pieces)):
            if count:  # the sparse matrix keeps non-zero entries only
                columns.append(column)
                values.append(self._values[count] if count < 256 else self._value(count))
        return columns, values


class CompiledScorer:
    """`predict_proba` of a fitted FeatureUnion + multinomial LogisticRegression pipeline."""

    def __init__(self, pipeline: object) -> None:
        _check(kind(pipeline) == "sklearn.pipeline.Pipeline", f"model is a {kind(pipeline)}")
        steps = attributes(pipeline).get("steps")
        _check(isinstance(steps, list) and len(steps) == 2, "pipeline steps")
        union, classifier = steps[0][1], steps[1][1]
        _check(kind(union) == "sklearn.pipeline.FeatureUnion", f"features are a {kind(union)}")
        _check(kind(classifier) == "sklearn.linear_model._logistic.LogisticRegression",
               f"classifier is a {kind(classifier)}")
        _check(not attributes(union).get("transformer_weights"), "transformer weights")
        self.blocks: list[_TfidfBlock | _CueBlock] = []
        for _name, transformer in attributes(union)["transformer_list"]:
            which = kind(transformer)
            if which == "sklearn.feature_extraction.text.TfidfVectorizer":
                analyzer = attributes(transformer).get("analyzer")
                _check(analyzer in ("word", "char_wb"), f"analyzer {analyzer!r}")
                self.blocks.append(_WordBlock(transformer) if analyzer == "word" else _CharBlock(transformer))
            elif which == "model.cues.CueMatcher":
                self.blocks.append(_CueBlock())
            else:
                raise Unsupported(f"feature block {which}")
        state = attributes(classifier)
        coef, intercept = np.asarray(state["coef_"]), np.asarray(state["intercept_"])
        classes = [str(c) for c in state["classes_"]]
        _check(sorted(classes) == sorted(LABELS), f"classes {classes}")
        # Binary models use a sigmoid, not the softmax reproduced here.
        _check(coef.ndim == 2 and coef.shape[0] == len(classes) >= 3, "coefficient shape")
        _check(coef.shape[1] == sum(b.width for b in self.blocks), "feature count differs from the coefficients")
        self.offsets = list(np.cumsum([0] + [b.width for b in self.blocks[:-1]]))
        # FeatureUnion stacks the blocks in their common type; SciPy multiplies that with
        # coef_.T in the type common to both.
        self.dtype = np.result_type(np.result_type(*[b.dtype for b in self.blocks]), coef.dtype)
        self.coef = np.ascontiguousarray(coef, dtype=self.dtype)  # (classes, features): a row's gather
        self.coef_t = np.ascontiguousarray(coef.T, dtype=self.dtype)  # (features, classes): a chunk's
        self.intercept = intercept
        self.order = np.asarray([classes.index(label) for label in LABELS])
        self._no_features = np.zeros(len(classes), dtype=self.dtype) + intercept

    def _features(self, text_: str) -> list[tuple[list[int], object, object]]:
        """Per block: (columns, counts or values) of one text."""
        normalized = text.normalize(text_)
        pieces = normalized.split(" ")
        out = []
        for block in self.blocks:
            if isinstance(block, _CueBlock):
                out.append(block.row(normalized, pieces))
            else:
                out.append(block.counts(normalized, pieces))
        return out

    def proba_one(self, text_: str) -> np.ndarray:
        """(3,) probabilities of one text, in `LABELS` order."""
        columns: list[int] = []
        values = []
        for block, offset, (cols, found) in zip(self.blocks, self.offsets, self._features(text_)):
            if cols:
                columns.extend(map(add, cols, repeat(offset)) if offset else cols)
                values.append(found if isinstance(block, _CueBlock) else block.row_values(cols, found))
        if columns:
            row = np.concatenate(values, dtype=self.dtype) if len(values) > 1 else np.asarray(values[0], dtype=self.dtype)
            # csr_matvecs adds value * coefficient entry by entry into a zero row, in the
            # product's type; cumsum adds in the same order and type.
            scores = (self.coef[:, columns] * row).cumsum(axis=1)[:, -1] + self.intercept
        else:
            scores = self._no_features.copy()
        # sklearn.utils.extmath.softmax, step for step.
        scores -= scores.max()
        np.exp(scores, out=scores)
        scores /= scores.sum()
        return scores[self.order]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities, columns in `LABELS` order, equal to the pipeline's."""
        n = len(texts)
        if n < ROW_PATH_LIMIT:
            if n == 0:
                return np.zeros((0, len(LABELS)), dtype=self._no_features.dtype)
            return np.vstack([self.proba_one(t) for t in texts])
        return self._predict_chunk(texts)

    def _predict_chunk(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        per_block: list[tuple[list[int], list, list[int]]] = [([], [], []) for _ in self.blocks]
        for text_ in texts:
            for block, (columns, found, lengths), (cols, values) in zip(self.blocks, per_block, self._features(text_)):
                columns.extend(cols)
                lengths.append(len(cols))
                if values is None:  # every count is 1
                    found.extend(repeat(1, len(cols)))
                else:
                    found.extend(values)
        total_lengths = np.zeros(n, dtype=np.int64)
        parts = []
        for block, offset, (columns, found, lengths) in zip(self.blocks, self.offsets, per_block):
            lengths_ = np.asarray(lengths, dtype=np.int64)
            indptr = np.concatenate(([0], np.cumsum(lengths_)))
            cols = np.asarray(columns, dtype=np.int64)
            if isinstance(block, _CueBlock):
                data = np.asarray(found, dtype=block.dtype)
            else:
                data = block.chunk_values(cols, np.asarray(found, dtype=np.int64), indptr)
            parts.append((cols + offset, data, lengths_, indptr))
            total_lengths += lengths_
        # FeatureUnion's hstack: in each row, the blocks' entries one after the other.
        indptr = np.concatenate(([0], np.cumsum(total_lengths)))
        columns = np.empty(indptr[-1], dtype=np.int64)
        data = np.empty(indptr[-1], dtype=self.dtype)
        before = indptr[:-1].copy()
        for cols, values, lengths_, block_indptr in parts:
            within = np.arange(cols.size) - np.repeat(block_indptr[:-1], lengths_)
            target = np.repeat(before, lengths_) + within
            columns[target] = cols
            data[target] = values
            before += lengths_
        scores = _ordered_product(data, columns, indptr, self.coef_t) + self.intercept
        # sklearn.utils.extmath.softmax, step for step.
        scores -= scores.max(axis=1).reshape(-1, 1)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1).reshape(-1, 1)
        return scores[:, self.order]


def _by_position(indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Rows longest first, their starts, and how many rows have more than k entries, for each k."""
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")
    longer = np.bincount(lengths, minlength=1)[::-1].cumsum()[::-1]  # rows with >= k entries
    return order, indptr[:-1][order], longer[1:].tolist()


def _ordered_row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each CSR row's sum, added entry by entry in order from zero, as a C loop would."""
    sums = np.zeros(indptr.size - 1, dtype=values.dtype)
    order, starts, longer = _by_position(indptr)
    for k, rows in enumerate(longer):
        sums[order[:rows]] += values[starts[:rows] + k]
    return sums


def _ordered_product(data: np.ndarray, columns: np.ndarray, indptr: np.ndarray, coef_t: np.ndarray) -> np.ndarray:
    """SciPy's csr_matvecs: for each row, y += value * coef_t[column], entry by entry."""
    out = np.zeros((indptr.size - 1, coef_t.shape[1]), dtype=coef_t.dtype)
    order, starts, longer = _by_position(indptr)
    for k, rows in enumerate(longer):
        at = starts[:rows] + k
        out[order[:rows]] += data[at, None] * coef_t[columns[at]]
    return out


def compile_scorer(pipeline: object) -> CompiledScorer | None:
    """The compiled scorer of `pipeline`, or None when its shape is not one this module knows."""
    try:
        return CompiledScorer(pipeline)
    except Unsupported:
        return None
