"""A lean path from texts to probabilities for a fitted stance pipeline.

scikit-learn's `Pipeline.predict_proba` checks its input at every step (feature names,
dtypes, finiteness, parameter validation, a joblib dispatch in `FeatureUnion`), which costs
about 0.8 ms for one text: far more than the arithmetic, and the whole budget of an HTTP
request. This module does, once, what those checks would do on every call, then repeats
scikit-learn's operations in the same order and with the same compiled kernels, so the
probabilities are identical to the library's, not merely close (tests hold it to that).

A pipeline of any other shape than the one `model.classifier.build_pipeline` makes, or a
library without the kernels used here, gets `None` from `compile_pipeline`, and callers
keep using scikit-learn.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.cues import CUE_GROUPS, CueMatcher, count_cues

try:  # the kernels that scikit-learn and scipy themselves call; private names, hence the guard
    from scipy.sparse._sparsetools import csr_matvecs
    from sklearn.utils.sparsefuncs_fast import (
        _inplace_csr_row_normalize_l1,
        _inplace_csr_row_normalize_l2,
    )
except ImportError:  # pragma: no cover - depends on library versions
    csr_matvecs = None

# One block of the feature union for a list of texts: CSR (data, indices, indptr), rows sorted.
Block = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class _Part:
    transform: Callable[[Sequence[str]], Block]
    width: int
    coef_t: np.ndarray  # this block's rows of coef_.T, C-contiguous, in the product's dtype


class CompiledPipeline:
    """`predict_proba` of a fitted features + logistic-regression pipeline, without the checks."""

    def __init__(
        self, parts: list[_Part], dtype: np.dtype, intercept: np.ndarray, column_order: np.ndarray
    ) -> None:
        self._parts = parts
        self._dtype = dtype  # of the sparse-dense product, as scipy upcasts it
        self._intercept = intercept
        self._n_classes = intercept.shape[0]
        self._column_order = column_order

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, classes) probabilities, columns in the order given at compile time."""
        n = len(texts)
        scores = np.zeros((n, self._n_classes), dtype=self._dtype)
        flat = scores.ravel()
        # csr_matvecs adds into `scores`; feeding the blocks in union order accumulates each
        # row's terms in the same sequence as scikit-learn's product with the stacked matrix.
        for part in self._parts:
            data, indices, indptr = part.transform(texts)
            csr_matvecs(
                n, part.width, self._n_classes, indptr, indices,
                data.astype(self._dtype, copy=False), part.coef_t.ravel(), flat,
            )
        scores = scores + self._intercept  # not in place: the sum takes numpy's promoted dtype
        # sklearn.utils.extmath.softmax, step for step.
        scores -= scores.max(axis=1).reshape(-1, 1)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1).reshape(-1, 1)
        return scores[:, self._column_order]


def _tfidf_block(vectorizer) -> Callable[[Sequence[str]], Block] | None:
    """TfidfVectorizer.transform: count over the fitted vocabulary, then tf-idf and norm."""
    if vectorizer.input != "content" or vectorizer.norm not in ("l1", "l2", None):
        return None
    analyze = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    width = len(vocabulary)
    dtype = vectorizer.dtype
    binary = vectorizer.binary
    sublinear = vectorizer.sublinear_tf
    idf = vectorizer.idf_ if vectorizer.use_idf else None
    normalize = {
        "l1": _inplace_csr_row_normalize_l1,
        "l2": _inplace_csr_row_normalize_l2,
        None: None,
    }[vectorizer.norm]
    lookup = vocabulary.get

    def transform(texts: Sequence[str]) -> Block:
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            counter: dict[int, int] = {}
            for feature in analyze(text):
                j = lookup(feature)
                if j is not None:
                    counter[j] = counter.get(j, 0) + 1
            for j in sorted(counter):  # CountVectorizer sorts each row's indices
                indices.append(j)
                counts.append(counter[j])
            indptr.append(len(indices))
        index_array = np.asarray(indices, dtype=np.int32)
        indptr_array = np.asarray(indptr, dtype=np.int32)
        data = np.asarray(counts, dtype=dtype)
        if binary:
            data.fill(1)
        if sublinear:
            np.log(data, data)
            data += 1.0
        if idf is not None:
            data *= idf[index_array]
        if normalize is not None:
            normalize(data, (len(texts), width), index_array, indptr_array)
        return data, index_array, indptr_array

    return transform


# log(1 + count) as CueMatcher computes it (numpy's scalar log1p, then float32), for the
# counts a quote has; larger counts are computed as they come.
_LOG1P = [np.float32(np.log1p(count)) for count in range(64)]


def _cue_block(texts: Sequence[str]) -> Block:
    """CueMatcher.transform, without the dense matrix: only non-zero groups are stored, as there."""
    data: list[np.float32] = []
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        for j, count in enumerate(count_cues(text).values()):
            if count:
                indices.append(j)
                data.append(_LOG1P[count] if count < len(_LOG1P) else np.float32(np.log1p(count)))
        indptr.append(len(indices))
    return (
        np.asarray(data, dtype=np.float32),
        np.asarray(indices, dtype=np.int32),
        np.asarray(indptr, dtype=np.int32),
    )


def compile_pipeline(pipeline, column_order: np.ndarray) -> CompiledPipeline | None:
    """A compiled form of `pipeline`, or None when its shape is not one this module knows."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    if csr_matvecs is None:  # pragma: no cover
        return None
    steps = getattr(pipeline, "named_steps", {})
    features, classifier = steps.get("features"), steps.get("classifier")
    if len(steps) != 2 or not isinstance(features, FeatureUnion) or type(classifier) is not LogisticRegression:
        return None
    coef = classifier.coef_
    # Binary models use a sigmoid, not the softmax reproduced here.
    if coef.ndim != 2 or coef.shape[0] < 3 or features.transformer_weights:
        return None
    blocks: list[tuple[Callable[[Sequence[str]], Block] | None, int]] = []
    block_dtypes = []
    for _, transformer in features.transformer_list:
        if isinstance(transformer, TfidfVectorizer):
            blocks.append((_tfidf_block(transformer), len(transformer.vocabulary_)))
            block_dtypes.append(transformer.dtype)
        elif type(transformer) is CueMatcher:
            if tuple(transformer.get_feature_names_out()) != tuple(f"cue:{g}" for g in CUE_GROUPS):
                return None
            blocks.append((_cue_block, len(CUE_GROUPS)))
            block_dtypes.append(np.float32)
        else:
            return None
    if any(transform is None for transform, _ in blocks) or sum(w for _, w in blocks) != coef.shape[1]:
        return None
    # FeatureUnion stacks the blocks into one matrix of their common dtype; scipy multiplies
    # it with coef_.T in the dtype common to both.
    dtype = np.result_type(np.result_type(*block_dtypes), coef.dtype)
    parts: list[_Part] = []
    offset = 0
    for transform, width in blocks:
        coef_t = np.ascontiguousarray(coef[:, offset : offset + width].T, dtype=dtype)
        parts.append(_Part(transform, width, coef_t))
        offset += width
    return CompiledPipeline(parts, dtype, classifier.intercept_, column_order)
