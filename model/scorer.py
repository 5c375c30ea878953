"""The stance pipeline's `predict_proba`, compiled: one exact scorer for every caller.

`StanceModel` (and so the service and the quote finder) and the batch workers all score
with `CompiledScorer`. It is built from a fitted pipeline's numbers (vocabularies, idf
weights, coefficients), read from the real scikit-learn objects or from the placeholders of
`model.pipeline_state` alike, so a batch worker needs neither scikit-learn nor SciPy.

What scikit-learn spends its time on is per-call input checking and per-text Python: the
tokenizer builds every n-gram string, and each cue group tries its ~25 alternatives at every
character. Here a text is cut at its spaces into pieces, and what a piece contributes is
cached once for every block: its word ids after tokenising, stemming and dropping
punctuation, their unigram columns, and where a cue phrase may start (`model.cue_counter`).
N-grams are looked up as integer keys.

The arithmetic repeats scikit-learn's and SciPy's, operation for operation and in the same
floating-point type, so the probabilities are identical to the pipeline's, not merely close:
log(tf) + 1, times idf, the l2 norm (float squares summed in double in column order), the
sparse product accumulated entry by entry in the product's type, the intercept, the softmax.
One text takes the row path: Python for the per-entry steps (a float operation done in
double and rounded to float gives the float operation's result; `struct` does the rounding
for a whole row at once), numpy for the ordered sum and the softmax, and per-column numbers
gathered from one compact table, since in a busy server each cache line missed costs more
than the arithmetic. Three texts or more take the chunk path: the n-grams of all of them
counted with array operations, then scikit-learn's own numpy operations on the whole chunk,
with the per-row sums in C-loop order (`model.exact_arithmetic`). Tests hold both paths to
the pipeline's `predict_proba` on the corpus, on random text and on other pipeline shapes.

A pipeline of another shape (another classifier, a feature block not listed here, weights on
the union) gets `Unsupported` from `CompiledScorer` (None from `compile_scorer`), and callers
keep using scikit-learn.
"""

import re
import struct
from bisect import bisect_left
from collections import _count_elements  # Counter's C helper: counts into a plain dict
from collections.abc import Sequence
from itertools import chain, compress, islice, repeat
from math import sqrt
from operator import add, gt, itemgetter, mul, truediv

import numpy as np

from model import text
from model.cue_counter import CueCounter
from model.exact_arithmetic import ordered_product, ordered_row_sums, packer, rounding, sequential_sum
from model.cue_patterns import CUE_GROUPS, CUE_REGEXES
from model.labels import LABELS
from model.native_scorer import NativeScorer
from model.pipeline_state import attributes, kind

# Below this many texts, scoring them one by one beats the chunk path's fixed cost.
ROW_PATH_LIMIT = 3
CACHE_LIMIT = 50_000  # entries of a cache (pieces, words, counted columns) before it starts afresh
_TF_TABLE = 256  # tf weights of counts below this are looked up, not computed
_TOKENIZERS = {  # model.text tokenizer -> (stemmed, negation-marked)
    "model.text.word_tokens": (True, True),
    "model.text.plain_word_tokens": (True, False),
    "model.text.unstemmed_word_tokens": (False, True),
}
_FLOAT_TYPES = (np.dtype(np.float32), np.dtype(np.float64))
_WHITE_SPACES = re.compile(r"\s\s+")  # TfidfVectorizer's own, for char_wb


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

    slots = 0  # entries this block keeps in the scorer's piece cache

    def __init__(self, vectorizer: object) -> None:
        v = attributes(vectorizer)
        _check(v.get("input") == "content", f"vectorizer input {v.get('input')!r}")
        self.dtype = np.dtype(v.get("dtype", np.float64))
        _check(self.dtype in _FLOAT_TYPES, f"vectorizer dtype {self.dtype}")
        tfidf = attributes(v["_tfidf"])
        self.binary = bool(v.get("binary"))
        self.sublinear = bool(tfidf.get("sublinear_tf"))
        self.norm = tfidf.get("norm")
        _check(self.norm in ("l1", "l2", None), f"norm {self.norm!r}")
        vocabulary: dict[str, int] = v["vocabulary_"]
        self.width = len(vocabulary)
        idf = np.asarray(tfidf["idf_"]) if tfidf.get("use_idf") else None
        # X.data *= idf_[X.indices]: with idf_ in another type the product would be rounded twice
        _check(idf is None or (idf.shape == (self.width,) and idf.dtype == self.dtype), "idf length or type")
        self.idf = idf
        # Per column, in double (which holds the block type's values exactly): the weight of a
        # count of 1 (the idf, or 1) and its square in the block's type.
        weight = idf if idf is not None else np.ones(self.width, dtype=self.dtype)
        self.weights = np.column_stack([weight, weight * weight]).astype(np.float64)
        low, high = v["ngram_range"]
        self.low, self.high = int(low), int(high)
        _check(1 <= self.low <= self.high, f"ngram_range {v['ngram_range']}")
        self.round = rounding(self.dtype)
        # tf weight of each small count, by the same numpy operations as the chunk path's
        self._tf_list = self._tf_weights(np.arange(_TF_TABLE)).tolist()
        self._counted: dict[tuple[int, int], tuple[float, float]] = {}

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

    def row_values(self, columns: list[int], counts: list[int] | None, weights: np.ndarray) -> list[float]:
        """TfidfTransformer's values of one row, as doubles whose rounding to the block's type
        (`self.round`) gives them: the last step, a division, is left for the caller to round.

        `weights` holds the columns' rows of `self.weights`. Each float operation of
        scikit-learn's is done here in double and rounded to float, which for +, *, / and
        sqrt gives the float operation's own result.
        """
        values, squares = weights.T.tolist()
        if counts is not None and not self.binary:
            for i in compress(range(len(counts)), map(gt, counts, repeat(1))):
                values[i], squares[i] = self._counted_weight(columns[i], counts[i])
        if self.norm == "l2":  # sklearn's _inplace_csr_row_normalize_l2: float squares summed in double
            total = sequential_sum(squares)
            if total != 0.0:
                return list(map(truediv, values, repeat(sqrt(total))))
        elif self.norm == "l1":
            total = sequential_sum(list(map(abs, values)))
            if total != 0.0:
                return list(map(truediv, values, repeat(total)))
        return values

    def _counted_weight(self, column: int, count: int) -> tuple[float, float]:
        """tf * idf of a column counted `count` times, and its square, in the block's type."""
        key = (column, count)
        found = self._counted.get(key)
        if found is None:
            tf = self._tf_list[count] if count < _TF_TABLE else self._tf_weights(np.asarray([count])).tolist()[0]
            (value,) = self.round([tf * float(self.idf[column])] if self.idf is not None else [tf])
            (square,) = self.round([value * value])
            if len(self._counted) >= CACHE_LIMIT:
                self._counted.clear()
            found = self._counted[key] = (value, square)
        return found

    def chunk_values(self, columns: np.ndarray, counts: np.ndarray, indptr: np.ndarray) -> np.ndarray:
        """TfidfTransformer.transform's data array for a chunk's CSR counts."""
        data = self._tf_weights(counts)  # the steps scikit-learn runs on X.data, on the same array
        if self.idf is not None:
            data *= self.idf[columns]
        if self.norm is not None and data.size:
            if self.norm == "l2":
                sums = ordered_row_sums((data * data).astype(np.float64), indptr)
                scale = np.sqrt(sums)
            else:
                scale = ordered_row_sums(np.abs(data).astype(np.float64), indptr)
            scale = np.repeat(scale, np.diff(indptr))
            keep = scale != 0.0
            data[keep] = (data[keep].astype(np.float64) / scale[keep]).astype(self.dtype)
        return data


class _WordBlock(_TfidfBlock):
    """TfidfVectorizer(analyzer="word") with one of `model.text`'s tokenizers."""

    slots = 2  # a piece's word ids, and their unigram columns (or its raw tokens, with negation)

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
        terms = [(term.split(" "), column) for term, column in v["vocabulary_"].items()]
        words: dict[str, int] = {}
        for parts, _column in terms:
            _check(self.low <= len(parts) <= self.high, f"term {' '.join(parts)!r}")
            for part in parts:
                words.setdefault(part, len(words))
        self.words = words
        self.unknown = len(words)
        self.base = len(words) + 1
        _check(self.base < 2**31 and self.width < 2**31, "vocabulary too large for packed ids")
        self.ngrams: dict[int, dict[int, int]] = {n: {} for n in range(1, self.high + 1)}
        for parts, column in terms:
            key = 0
            for part in parts:
                key = key * self.base + words[part]
            self.ngrams[len(parts)][key] = column
        # The same n-grams as sorted arrays, for a chunk's vectorised look-ups.
        _check(self.base ** self.high < 2**62, "vocabulary too large for exact n-gram keys")
        self._sorted: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, entries in self.ngrams.items():
            keys = np.fromiter(entries.keys(), dtype=np.int64, count=len(entries))
            columns = np.fromiter(entries.values(), dtype=np.int64, count=len(entries))
            order = np.argsort(keys)
            self._sorted[n] = (keys[order], columns[order])
        self._stem = text.stem.__wrapped__  # uncached: the scorer's piece cache holds the results
        self._unpackers: dict[int, struct.Struct] = {}

    def _unpack(self, packed: bytes) -> tuple[int, ...]:
        unpacker = self._unpackers.get(len(packed))
        if unpacker is None:
            if len(self._unpackers) > 1024:
                self._unpackers.clear()
            unpacker = self._unpackers[len(packed)] = struct.Struct(f"{len(packed) // 4}i")
        return unpacker.unpack(packed)

    def _word_id(self, token: str) -> int | None:
        """Id of a finished token (stemmed, marked); None when drop_punctuation removes it."""
        if not token[0].isalnum():
            return None
        return self.words.get(token, self.unknown)

    def piece(self, piece: str) -> tuple[bytes | tuple, tuple]:
        """What one piece of text contributes, for the scorer's piece cache."""
        raw_tokens = text.tokenize(piece)
        if self.negation:  # (kind, id unmarked, id marked) of every raw token, punctuation too
            out = []
            for raw in raw_tokens:
                base = self._stem(raw) if self.stemmed else raw
                out.append((text.token_kind(raw), self._word_id(base), self._word_id(base + text.NEGATION_SUFFIX)))
            return tuple(out), ()
        ids = [i for i in (self._word_id(self._stem(raw) if self.stemmed else raw) for raw in raw_tokens)
               if i is not None]
        unigrams = self.ngrams[1] if self.low == 1 else {}
        # Each word's id and unigram column (-1: none), packed: a cached piece is then one
        # object in memory, not a tuple of int objects each on its own cache line.
        return struct.pack(f"{2 * len(ids)}i", *chain.from_iterable((i, unigrams.get(i, -1)) for i in ids)), ()

    def _negation_ids(self, token_infos: list) -> list[int]:
        """mark_negation_scope, then drop_punctuation, over the raw tokens' cached ids."""
        ids = []
        in_scope = False
        for token_kind, plain, marked in chain.from_iterable(token_infos):
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

    def features(self, normalized: str, pieces: list[str], infos: list[tuple],
                 slot: int) -> tuple[list[int], list[int] | None]:
        """The text's columns in increasing order and their counts (CountVectorizer's row)."""
        missing = repeat(-1)  # the column of an n-gram not in the vocabulary; sorts first
        if self.negation:
            ids = self._negation_ids(list(map(itemgetter(slot), infos)))
            found = list(map(self.ngrams[1].get, ids, missing)) if self.low == 1 else []
        else:
            packed = b"".join(map(itemgetter(slot), infos))
            pairs = self._unpack(packed)
            ids = pairs[0::2]
            found = list(pairs[1::2]) if self.low == 1 else []
        keys = ids
        for n in range(2, min(self.high, len(ids)) + 1):
            keys = list(map(add, map(mul, keys, repeat(self.base)), islice(ids, n - 1, None)))
            if n >= self.low:
                found.extend(map(self.ngrams[n].get, keys, missing))
        return _columns_and_counts(found)


def _chunk_counts_of(block: "_WordBlock", packed: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CountVectorizer's CSR for a chunk, from each text's packed (id, unigram column) pairs:
    (row, column, count) of every entry, sorted by row then column. The n-grams that `counts`
    finds one text at a time, found here for the whole chunk with array operations."""
    lengths = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed)) // 8
    pairs = np.frombuffer(b"".join(packed), dtype=np.int32)
    ids = pairs[0::2].astype(np.int64)
    doc = np.repeat(np.arange(len(packed)), lengths)
    rows, columns = [], []
    if block.low == 1:
        unigrams = pairs[1::2]
        known = unigrams >= 0
        rows.append(doc[known])
        columns.append(unigrams[known].astype(np.int64))
    keys = ids
    for n in range(2, block.high + 1):
        if ids.size < n:
            break
        keys = keys[:-1] * block.base + ids[n - 1:]  # the n-gram starting at each token
        if n < block.low:
            continue
        same_text = doc[: keys.size] == doc[n - 1:]
        sorted_keys, sorted_columns = block._sorted[n]
        if not sorted_keys.size:
            continue
        at = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
        found = same_text & (sorted_keys[at] == keys)
        rows.append(doc[: keys.size][found])
        columns.append(sorted_columns[at[found]])
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    combined, counts = np.unique(np.concatenate(rows) * block.width + np.concatenate(columns), return_counts=True)
    return combined // block.width, combined % block.width, counts


class _CharBlock(_TfidfBlock):
    """TfidfVectorizer(analyzer="char_wb", preprocessor=model.text.char_text)."""

    def __init__(self, vectorizer: object) -> None:
        super().__init__(vectorizer)
        v = attributes(vectorizer)
        _check(kind(v.get("preprocessor")) == "model.text.char_text", "char preprocessor")
        self.vocabulary: dict[str, int] = v["vocabulary_"]
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
        if len(self._words) >= CACHE_LIMIT:
            self._words.clear()
        self._words[word] = columns
        return columns

    def features(self, normalized: str, pieces: list[str], infos: list[tuple],
                 slot: int) -> tuple[list[int], list[int] | None]:
        document = _WHITE_SPACES.sub(" ", " ".join(normalized.split()))  # char_text, then sklearn's
        cache = self._words
        found = list(chain.from_iterable(cache[w] if w in cache else self._word(w) for w in document.split()))
        return _columns_and_counts(found)


class _CueBlock:
    """`model.cues.CueMatcher`: log(1 + count) of each cue group, float32."""

    width = len(CUE_GROUPS)
    dtype = np.dtype(np.float32)
    slots = 1  # where a cue may start in a piece

    def __init__(self) -> None:
        self.counter = CueCounter(list(CUE_REGEXES.values()))
        # CueMatcher takes numpy's log1p of the count, then stores it as float32.
        self._values = [self._value(count) for count in range(256)]

    @staticmethod
    def _value(count: int) -> float:
        return float(np.float32(np.log1p(count)))

    def piece(self, piece: str) -> tuple:
        return (self.counter.candidates(piece) if self.counter.fast else (),)

    def features(self, normalized: str, pieces: list[str], infos: list[tuple],
                 slot: int) -> tuple[list[int], list[float]]:
        """The non-zero cue groups of the text and their values."""
        found = list(map(itemgetter(slot), infos)) if self.counter.fast else None
        counts = self.counter.count(normalized, pieces, found)
        if not any(counts):
            return [], []
        columns = [column for column, count in enumerate(counts) if count]  # the non-zero entries
        return columns, [self._values[counts[c]] if counts[c] < 256 else self._value(counts[c]) for c in columns]


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
        self.offsets = [int(o) for o in np.cumsum([0] + [b.width for b in self.blocks[:-1]])]
        # Where each block's entries start in a cached piece's tuple.
        self.slots = [int(s) for s in np.cumsum([0] + [b.slots for b in self.blocks[:-1]])]
        self._piece_blocks = [b for b in self.blocks if b.slots]
        self._extractors = [(b.features, slot) for b, slot in zip(self.blocks, self.slots)]
        self._pieces: dict[str, tuple] = {}
        # FeatureUnion stacks the blocks in their common type; SciPy multiplies that with
        # coef_.T in the type common to both.
        self.dtype = np.result_type(np.result_type(*[b.dtype for b in self.blocks]), coef.dtype)
        self.coef_t = np.ascontiguousarray(coef.T, dtype=self.dtype)  # (features, classes): a column's row
        # A row of one text gathers, per column, its weight, squared weight (see _TfidfBlock)
        # and coefficients at once, from one line of memory rather than three places.
        self._columns = np.column_stack(
            [np.concatenate([b.weights if isinstance(b, _TfidfBlock) else np.ones((b.width, 2)) for b in self.blocks]),
             self.coef_t.astype(np.float64)])
        self.intercept = intercept
        self.order = [classes.index(label) for label in LABELS]
        self._no_features = np.zeros(len(classes), dtype=self.dtype) + intercept
        # When every block and the product are float32, one packing rounds a whole row.
        self._one_rounding = self.dtype == np.float32 and all(b.dtype == np.float32 for b in self.blocks)
        self._pack = packer(np.float32)
        # The same arithmetic in C, for every number of texts, where it was built (None: Python).
        self.native: NativeScorer | None = NativeScorer.build(self.blocks, self.slots, self.coef_t)

    def _piece_infos(self, pieces: list[str]) -> list[tuple]:
        """Each piece's cached contribution to every block (see the blocks' `piece`)."""
        cache = self._pieces
        found = list(map(cache.get, pieces))
        if None in found:
            if len(cache) >= CACHE_LIMIT:  # bounded memory on an endless vocabulary
                cache.clear()
            found = [cache[p] if p in cache else self._add_piece(p) for p in pieces]
        return found

    def _add_piece(self, piece: str) -> tuple:
        info = tuple(chain.from_iterable(block.piece(piece) for block in self._piece_blocks))
        self._pieces[piece] = info
        return info

    def _prepared(self, text_: str) -> tuple[str, list[str], list[tuple]]:
        """A text normalised, cut at its spaces, and its pieces' cached contributions."""
        normalized = text.normalize(text_)
        pieces = normalized.split(" ")
        return normalized, pieces, self._piece_infos(pieces)

    def _features(self, text_: str) -> list[tuple[list[int], list | None]]:
        """Per block: (columns, counts) of a tf-idf block, (columns, values) of the cue block."""
        normalized, pieces, infos = self._prepared(text_)
        return [extract(normalized, pieces, infos, slot) for extract, slot in self._extractors]

    def proba_one(self, text_: str) -> list[float]:
        """The probabilities of one text, in `LABELS` order."""
        if self.native is not None:
            found = self._predict_native([text_])
            if found is not None:
                return found[0].tolist()
        features = self._features(text_)
        columns: list[int] = []
        for offset, (cols, _found) in zip(self.offsets, features):
            if cols:
                columns.extend(map(add, cols, repeat(offset)) if offset else cols)
        if columns:
            gathered = self._columns[columns]
            values: list[float] = []
            start = 0
            for block, (cols, found) in zip(self.blocks, features):
                if not cols:
                    continue
                if isinstance(block, _CueBlock):
                    values.extend(found)
                else:
                    block_values = block.row_values(cols, found, gathered[start: start + len(cols), :2])
                    values.extend(block_values if self._one_rounding else block.round(block_values))
                start += len(cols)
            # Rounds the blocks' last step (exact for the cue values, already floats).
            row = self._pack(values) if self._one_rounding else np.array(values, dtype=self.dtype)
            terms = gathered[:, 2:].astype(self.dtype)  # the coefficients, exact in their own type
            terms *= row[:, None]
            # csr_matvecs adds value * coefficient entry by entry into a zero row, in the
            # product's type; cumsum adds in the same order and type.
            scores = terms.cumsum(axis=0)[-1] + self.intercept
        else:
            scores = self._no_features.copy()
        # sklearn.utils.extmath.softmax, step for step (a maximum is exact in any order, so
        # Python finds it; the sum is numpy's own, as there).
        scores -= max(scores.tolist())
        np.exp(scores, out=scores)
        scores /= np.add.reduce(scores)
        values = scores.tolist()
        return [values[i] for i in self.order]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities, columns in `LABELS` order, equal to the pipeline's."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(LABELS)), dtype=self._no_features.dtype)
        if self.native is not None:
            found = self._predict_native(texts)
            if found is not None:
                return found
        if n < ROW_PATH_LIMIT:
            return np.asarray([self.proba_one(t) for t in texts], dtype=self._no_features.dtype)
        return self._predict_chunk(texts)

    def _predict_native(self, texts: Sequence[str]) -> np.ndarray | None:
        """`predict_proba` with the sparse arithmetic in C; None when it cannot take these texts."""
        scores = self.native.scores(list(map(self._prepared, texts)))
        if scores is None:
            return None
        return self._softmax(scores + self.intercept)

    def _softmax(self, scores: np.ndarray) -> np.ndarray:
        """sklearn.utils.extmath.softmax, step for step, in place; columns in `LABELS` order."""
        scores -= scores.max(axis=1).reshape(-1, 1)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1).reshape(-1, 1)
        return scores[:, self.order]

    def _predict_chunk(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        # Word blocks (without negation) are counted for the whole chunk at once from the
        # texts' cached pieces; the others text by text, as on the row path.
        whole = [isinstance(b, _WordBlock) and not b.negation for b in self.blocks]
        per_block: list[tuple[list, list, list]] = [([], [], []) for _ in self.blocks]
        for normalized, pieces, infos in map(self._prepared, texts):
            for (extract, slot), by_chunk, (columns, found, lengths) in zip(self._extractors, whole, per_block):
                if by_chunk:
                    columns.append(b"".join(map(itemgetter(slot), infos)))
                    continue
                cols, values = extract(normalized, pieces, infos, slot)
                columns.extend(cols)
                lengths.append(len(cols))
                if values is None:  # every count is 1
                    found.extend(repeat(1, len(cols)))
                else:
                    found.extend(values)
        total_lengths = np.zeros(n, dtype=np.int64)
        parts = []
        for block, offset, by_chunk, (columns, found, lengths) in zip(self.blocks, self.offsets, whole, per_block):
            if by_chunk:
                rows, cols, counts = _chunk_counts_of(block, columns)
                lengths_ = np.bincount(rows, minlength=n).astype(np.int64)
            else:
                lengths_ = np.asarray(lengths, dtype=np.int64)
                cols = np.asarray(columns, dtype=np.int64)
                counts = np.asarray(found, dtype=np.int64 if not isinstance(block, _CueBlock) else block.dtype)
            indptr = np.concatenate(([0], np.cumsum(lengths_)))
            if isinstance(block, _CueBlock):
                data = counts
            else:
                data = block.chunk_values(cols, counts, indptr)
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
        return self._softmax(ordered_product(data, columns, indptr, self.coef_t) + self.intercept)


def compile_scorer(pipeline: object) -> CompiledScorer | None:
    """The compiled scorer of `pipeline`, or None when its shape is not one this module knows."""
    try:
        return CompiledScorer(pipeline)
    except Unsupported:
        return None
