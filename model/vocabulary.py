"""Vocabularies saved as one array of terms, not as a dict of one saved object per term.

skops saves a dict entry by entry, each key and value a node of its JSON schema: the word
vocabulary (about 41,000 terms) made a 46 MB schema, about 95 MB of short-lived objects at every
load and 0.9 s. Saved as a numpy array of the terms in column order, the vocabulary is one
`.npy` file in the model, and loading rebuilds the same dict from it (0.08 s, about 25 MB less
resident memory in every process that loads the model).

The hooks are Python's own (`__getstate__`/`__setstate__`, which skops uses as pickle does);
the fitted attributes, `vocabulary_` included, are the estimator's as scikit-learn made them.
"""

from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_SAVED = "vocabulary_terms_"


class VocabularyAsArray:
    """Mixin: `vocabulary_` (term -> column, the columns 0..n-1) saved as an array of the terms."""

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        vocabulary = state.get("vocabulary_")
        if isinstance(vocabulary, dict) and sorted(vocabulary.values()) == list(range(len(vocabulary))):
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            array = np.asarray(terms, dtype=str)
            if array.tolist() == terms:  # numpy's strings drop trailing NULs: keep only an exact copy
                state = {key: value for key, value in state.items() if key != "vocabulary_"}
                state[_SAVED] = array
        return state  # any other vocabulary (none fitted yet, or not 0..n-1) is saved as it is

    def __setstate__(self, state: dict[str, Any]) -> None:
        if _SAVED in state:
            state = dict(state)
            terms = state.pop(_SAVED).tolist()
            state["vocabulary_"] = dict(zip(terms, range(len(terms))))
        super().__setstate__(state)


class CompactTfidfVectorizer(VocabularyAsArray, TfidfVectorizer):
    """scikit-learn's TfidfVectorizer, its vocabulary saved as an array (see the module notes)."""
