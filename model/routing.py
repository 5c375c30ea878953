"""A context model with a separate path for quotes whose speaker is unknown.

A model fitted on words and context leans on the context; for a quote with none, its words'
weights are not those a words-only model would learn. `ContextSwitch` keeps both: quotes with
a speaker or role go to the context pipeline, quotes without go to a words-only pipeline, so a
bare quote scores exactly as well as it would without context in the model at all.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from quote_stance.model.context import context_rows


def known_context(rows: np.ndarray) -> np.ndarray:
    """A boolean mask: the (text, speaker, role) rows that have a speaker or a role."""
    return (rows[:, 1] != "") | (rows[:, 2] != "")


class ContextSwitch(ClassifierMixin, BaseEstimator):
    """Two pipelines: `with_context` for rows with a speaker or role, `words` (texts only) for the rest.

    With `dropout`, the context pipeline is also fitted on every row with its context blanked,
    which keeps it from leaning on the context more than the words.
    """

    def __init__(self, with_context=None, words=None, dropout: bool = True) -> None:
        self.with_context = with_context
        self.words = words
        self.dropout = dropout

    def fit(self, rows: np.ndarray, y, sample_weight=None) -> "ContextSwitch":
        rows, y = np.asarray(rows, dtype=object), np.asarray(y, dtype=object)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.words_ = clone(self.words).fit(list(rows[:, 0]), y, classifier__sample_weight=weights)
        context_inputs, context_y, context_weights = rows, y, weights
        if self.dropout:
            known = known_context(rows)
            context_inputs = np.vstack([rows, context_rows(list(rows[known, 0]))])
            context_y = np.concatenate([y, y[known]])
            context_weights = np.concatenate([weights, weights[known]])
        self.with_context_ = clone(self.with_context).fit(
            context_inputs, context_y, classifier__sample_weight=context_weights
        )
        self.classes_ = self.words_.classes_
        return self

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=object)
        known = known_context(rows)
        probs = np.zeros((len(rows), len(self.classes_)))
        if known.any():
            probs[known] = self.with_context_.predict_proba(rows[known])
        if not known.all():
            probs[~known] = self.words_.predict_proba(list(rows[~known, 0]))
        return probs

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return self.classes_[self.predict_proba(rows).argmax(axis=1)]

    def route(self, rows: np.ndarray):
        """The pipeline that scores this one row, and the row as that pipeline takes it."""
        rows = np.asarray(rows, dtype=object)
        if known_context(rows)[0]:
            return self.with_context_, rows
        return self.words_, list(rows[:, 0])
