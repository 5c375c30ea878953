"""The three stance labels of the public contract, and the one rule that turns probabilities into one."""

import numpy as np

LABELS: tuple[str, ...] = ("support", "oppose", "neutral")
_LABEL_ARRAY = np.asarray(LABELS, dtype=object)


def stance_indices(probabilities: np.ndarray) -> np.ndarray:
    """The column of each row's stance: the most probable label (the first of equal maxima)."""
    return np.asarray(probabilities).argmax(axis=1)


def stances(probabilities: np.ndarray) -> np.ndarray:
    """Each row's stance label, for probability rows in `LABELS` order."""
    return _LABEL_ARRAY[stance_indices(probabilities)]
