"""Cue phrases that each side of the dispute uses, counted by argument as extra features.

The vocabulary of this fight is partisan ("illegal aliens" against "undocumented
immigrants"); grouping the cues lets a phrase that is rare in the training data still
carry the weight that its group learned. Whether the cues help is decided by
cross-validation like every other feature (`FeatureConfig.cues`).
"""

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from quote_stance.model.cue_patterns import _COMPILED, CUE_GROUPS, CUE_PATTERNS, count_cues
from quote_stance.model.text import normalize

__all__ = ["CUE_GROUPS", "CUE_PATTERNS", "CueMatcher", "count_cues"]


class CueMatcher(TransformerMixin, BaseEstimator):
    """Stateless transformer: log(1 + count) of each cue group, as a sparse matrix."""

    def fit(self, texts, y=None) -> "CueMatcher":
        return self

    def transform(self, texts) -> sparse.csr_matrix:
        rows = [
            [np.log1p(len(pattern.findall(normalised))) for pattern in _COMPILED.values()]
            for normalised in map(normalize, texts)
        ]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float32).reshape(-1, len(_COMPILED)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"cue:{group}" for group in CUE_GROUPS], dtype=object)
