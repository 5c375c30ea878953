"""The one scoring function that every engine calls: texts in, the five stance columns out.

A process loads its scorer once (`scorer_for`), then `stance_columns` turns a list of
non-blank texts into rows of `stance, confidence, prob_support, prob_oppose, prob_neutral`
strings. The local engine (its main process and workers) and the Dask workers all call exactly
this; the probabilities come from `model.scorer`, the scorer `StanceModel` uses too.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from model.labels import LABELS

OUTPUT_COLUMNS: tuple[str, ...] = ("stance", "confidence") + tuple(f"prob_{label}" for label in LABELS)
DECIMALS = 4
_SCALE = 10**DECIMALS
# Every 4-decimal string from 0.0000 to 1.0000: formatting is a table look-up.
_FORMATTED = np.asarray([f"{i / _SCALE:.{DECIMALS}f}" for i in range(_SCALE + 1)], dtype=object)

Scorer = Callable[[Sequence[str]], np.ndarray]
_SCORERS: dict[str, Scorer] = {}


def load_scorer(model_dir: Path | str | None = None, light: bool = True) -> Scorer:
    """`predict_proba` of the model: the compiled scorer when it fits the pipeline, else the model.

    `light=True` is for processes that do nothing but score and read/write files: NLTK and
    joblib are loaded without their package imports (see `model.light_imports`) and the
    pipeline is read without scikit-learn (`model.pipeline_state`), keeping a process near
    50 MB instead of 250 MB.
    """
    from model import light_imports

    if light:  # before anything imports model.text
        light_imports.install()
    from model.pipeline_state import load_state
    from model.scorer import CompiledScorer, Unsupported

    pipeline, _metadata = load_state(model_dir)
    try:
        return CompiledScorer(pipeline).predict_proba
    except Unsupported:
        light_imports.uninstall()  # scikit-learn's pipeline needs the real packages
        from model.predictor import load_model

        return load_model(model_dir).predict_proba


def scorer_for(model_dir: str | None, light: bool = True) -> Scorer:
    """This process's scorer for `model_dir`, loaded on first use."""
    key = f"{model_dir}|{light}"
    if key not in _SCORERS:
        _SCORERS[key] = load_scorer(model_dir, light=light)
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
    best = probabilities.argmax(axis=1)
    labels = np.asarray(LABELS, dtype=object)[best]
    formatted = format_probabilities(probabilities)
    confidence = formatted[np.arange(len(best)), best]
    return np.column_stack((labels, confidence, formatted)).tolist()


def score_texts(texts: Sequence[str], model_dir: str | None = None, light: bool = True) -> list[str]:
    """The CSV suffix (see `csv_suffixes`) of each text; the texts must be non-blank."""
    return csv_suffixes(scorer_for(model_dir, light)(texts))


# What follows the input fields on the line of a row that is not scored.
EMPTY_SUFFIX = "," * len(OUTPUT_COLUMNS)
