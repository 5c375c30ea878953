"""Cue phrases that each side of the dispute uses, counted as three extra features.

The vocabulary of this fight is partisan ("illegal aliens" against "undocumented
immigrants"); grouping the cues lets a phrase that is rare in the training data still
carry the weight that its group learned. Whether the cues help is decided by
cross-validation like every other feature (`FeatureConfig.cues`).
"""

import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from model.text import normalize

CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "support": (
        r"illegal aliens?", r"criminal aliens?", r"illegal immigrants?", r"illegals\b",
        r"rule of law", r"lawless", r"comply with (?:federal )?(?:immigration )?laws?",
        r"follow(?:ing)? the law", r"obey(?:ing)? the law", r"abide by",
        r"release[sd]? (?:dangerous|violent|criminal)", r"dangerous criminals",
        r"taxpayer", r"harbou?r(?:ing)?", r"shield(?:ing|s)? (?:criminal|illegal)",
        r"less safe", r"open borders?", r"honou?r (?:ice )?detainers?",
        r"cooperat\w* with (?:ice|federal immigration)", r"sanctuary (?:polic\w+|cit\w+) (?:endanger|put|protect criminals)",
        r"endanger", r"put(?:s|ting)? (?:americans|residents|citizens|our communities) at risk",
        r"no more sanctuary", r"end sanctuary", r"ban sanctuary", r"outlaw sanctuary",
        r"americans first", r"victims? of illegal", r"pro-criminal", r"defund",
        r"cut off (?:their )?(?:federal )?funding", r"consequences", r"accountab\w+",
    ),
    "oppose": (
        r"undocumented", r"immigrant (?:families|communities|neighbors|residents)",
        r"(?:community|public) trust", r"trust between", r"unconstitutional",
        r"overreach", r"coerc\w+", r"commandeer\w*", r"tenth amendment", r"10th amendment",
        r"bull(?:y|ied|ying)", r"see (?:you|them|him) in court", r"\bsu(?:e|ing|ed)\b",
        r"lawsuit", r"fear-?mongering", r"un-?american", r"xenophob\w+", r"draconian",
        r"cruel", r"welcoming (?:city|community)", r"stand (?:with|by) (?:our )?immigrants",
        r"unlawful", r"blackmail", r"scapegoat\w*", r"separation of powers",
        r"spending clause", r"(?:won't|will not|refuse to) (?:comply|cooperate|back down|be intimidated)",
        r"resist", r"protect (?:our )?(?:residents|immigrants|families|neighbors)",
        r"victory for", r"deportation (?:machine|dragnet|force)", r"racis\w+", r"hateful",
        r"demoniz\w+", r"divisive", r"extort\w*", r"threats?\b", r"ransom",
    ),
    "neutral": (
        r"review(?:ing)? the", r"no comment", r"declined? to comment", r"(?:is|was) scheduled",
        r"hearing (?:on|is|was)", r"oral arguments?", r"we are (?:evaluating|reviewing|studying|assessing)",
        r"too early to", r"\bguidance\b", r"according to", r"the (?:court|judge) (?:will|has not)",
        r"we'll (?:see|know)", r"no decision", r"remains? unclear", r"it is unclear",
    ),
}

_COMPILED = {
    group: re.compile("|".join(f"(?:{p})" for p in patterns))
    for group, patterns in CUE_PATTERNS.items()
}
CUE_GROUPS: tuple[str, ...] = tuple(CUE_PATTERNS)


def count_cues(text: str) -> dict[str, int]:
    """How many cue phrases of each group the text holds."""
    normalised = normalize(text)
    return {group: len(pattern.findall(normalised)) for group, pattern in _COMPILED.items()}


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
