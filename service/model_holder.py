"""The model in service, and its replacement without downtime.

A request takes `holder.model` once and uses that object to the end, so swapping the
reference (one assignment, atomic under the GIL) never changes the model under a request
in flight: requests that started before a reload finish on the old model, later ones get
the new one. A replacement is loaded and checked completely before the swap, so a bad
artifact is refused while the old model keeps serving.
"""

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from quote_stance.model.artifacts import ArtifactError
from quote_stance.model.labels import LABELS
from quote_stance.model.predictor import StanceModel, load_model
from quote_stance.common import settle_memory

# Sentences the model must score sensibly before it may serve.
_PROBES = (
    "Sanctuary cities that shield criminal aliens put our communities at risk.",
    "We will see them in court: these grant conditions are unconstitutional.",
    "The department is reviewing the guidance.",
)


@dataclass(frozen=True)
class Swap:
    previous_version: str
    version: str


def load_checked(directory: Path | None) -> StanceModel:
    """Load and verify a model directory, then check that it predicts; ArtifactError if not."""
    model = load_model(directory)
    labels = model.metadata.get("labels")
    if labels is not None and tuple(labels) != LABELS:
        raise ArtifactError(f"{model.directory}: labels {labels} are not {list(LABELS)}")
    try:
        probabilities = model.predict_proba(list(_PROBES))
    except Exception as error:  # a model that verifies but cannot predict must not serve
        raise ArtifactError(f"{model.directory}: the model fails to predict ({type(error).__name__}: {error})") from None
    if probabilities.shape != (len(_PROBES), len(LABELS)) or not np.allclose(probabilities.sum(axis=1), 1.0):
        raise ArtifactError(f"{model.directory}: the model's probabilities are malformed")
    return model


class ModelHolder:
    """Holds the serving model; `reload` replaces it from the same directory."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._model: StanceModel | None = None
        self._reload_lock = threading.Lock()

    @property
    def model(self) -> StanceModel:
        model = self._model
        if model is None:
            raise RuntimeError("the model is not loaded yet")
        return model

    def load(self) -> StanceModel:
        self._model = load_checked(self.directory)
        # The web stack, scikit-learn and the model (~180,000 objects) out of the collector's full
        # passes, ~60 ms each, which were the tail of the latency under load; and what loading
        # freed back to the system, or each reload would keep it.
        settle_memory()
        return self._model

    def reload(self) -> Swap:
        """Load the directory again and swap it in; ArtifactError (old model kept) if it is bad."""
        with self._reload_lock:  # two reloads at once would race to the swap
            previous_version = self.model.version
            replacement = load_checked(self.directory)
            self._model = replacement
            settle_memory()  # as in `load`; the replaced model's objects become collectable
            return Swap(previous_version=previous_version, version=replacement.version)
