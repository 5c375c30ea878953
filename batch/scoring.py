"""The one scoring function that every engine calls: texts in, the five stance columns out.

A process loads its scorer once (`scorer_for`), then `stance_columns` turns a list of
non-blank texts into rows of `stance, confidence, prob_support, prob_oppose, prob_neutral`
strings. The local engine (its main process and workers) and the Dask workers all call exactly
this; the probabilities come from the model's own `predict_proba`.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from quote_stance.model.context import CONTEXT_LIMIT
from quote_stance.model.labels import LABELS, stance_indices

# Optional columns scored with the text when a file has them (`--no-context` ignores them).
CONTEXT_COLUMNS: tuple[str, ...] = ("speaker", "speaker_role")

OUTPUT_COLUMNS: tuple[str, ...] = ("stance", "confidence") + tuple(f"prob_{label}" for label in LABELS)
DECIMALS = 4
_SCALE = 10**DECIMALS
# Every 4-decimal string from 0.0000 to 1.0000: formatting is a table look-up.
_FORMATTED = np.asarray([f"{i / _SCALE:.{DECIMALS}f}" for i in range(_SCALE + 1)], dtype=object)

Scorer = Callable[..., np.ndarray]  # the model's predict_proba(texts, speakers, roles)
# Texts to score with their speakers and roles (None: the file has no such column).
Quotes = tuple[list[str], list[str] | None, list[str] | None]
# Where the speaker and the role are in a row (None: not in the file, or ignored).
ContextColumns = tuple[int | None, int | None]
_SCORERS: dict[str, Scorer] = {}


def load_scorer(model_dir: Path | str | None = None) -> Scorer:
    """The verified model's own `predict_proba`."""
    from quote_stance.model.predictor import load_model

    return load_model(model_dir).predict_proba


def scorer_for(model_dir: str | None) -> Scorer:
    """This process's scorer for `model_dir`, loaded on first use."""
    key = str(model_dir)
    if key not in _SCORERS:
        _SCORERS[key] = load_scorer(model_dir)
    return _SCORERS[key]


def format_probabilities(values: np.ndarray) -> np.ndarray:
    """Strings with 4 decimals, equal to f"{value:.4f}" for each value."""
    scaled = values.astype(np.float64) * _SCALE
    index = np.rint(scaled).astype(np.int64)
    out = _FORMATTED[np.clip(index, 0, _SCALE)]
    # Where the scaled value sits on a rounding tie, trust Python's exact formatting.
    near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for position in zip(*np.nonzero(near_tie)):
        out[position] = f"{float(values[position]):.{DECIMALS}f}"
    return out


def csv_suffixes(probabilities: np.ndarray) -> list[str]:
    """For each row, the text that follows its input fields on an output line: ",stance,conf,p,p,p"."""
    return ["," + ",".join(row) for row in stance_columns(probabilities)]


def stance_columns(probabilities: np.ndarray) -> list[list[str]]:
    """One row [stance, confidence, p_support, p_oppose, p_neutral] per probability row."""
    if len(probabilities) == 0:
        return []
    best = stance_indices(probabilities)
    labels = np.asarray(LABELS, dtype=object)[best]
    formatted = format_probabilities(probabilities)
    confidence = formatted[np.arange(len(best)), best]
    return np.column_stack((labels, confidence, formatted)).tolist()


def score_texts(
    texts: Sequence[str],
    speakers: Sequence[str] | None = None,
    roles: Sequence[str] | None = None,
    model_dir: str | None = None,
) -> list[str]:
    """The CSV suffix (see `csv_suffixes`) of each text; the texts must be non-blank."""
    return csv_suffixes(scorer_for(model_dir)(texts, speakers, roles))


def context_columns(header: Sequence[str], use_context: bool = True) -> ContextColumns:
    """The positions of the `speaker` and `speaker_role` columns, when present and used."""
    if not use_context:
        return None, None
    names = [name.strip() for name in header]
    return tuple(names.index(name) if name in names else None for name in CONTEXT_COLUMNS)


def context_problem(fields: Sequence[str], context_at: ContextColumns) -> str | None:
    """Why a row's speaker or role cannot be used (over the limit), or None."""
    for name, at in zip(CONTEXT_COLUMNS, context_at):
        if at is not None and len(fields[at]) > CONTEXT_LIMIT:
            return f"{name} is {len(fields[at])} characters; the limit is {CONTEXT_LIMIT}"
    return None


# What follows the input fields on the line of a row that is not scored.
EMPTY_SUFFIX = "," * len(OUTPUT_COLUMNS)
