"""A loaded, verified stance model: what the CLI, the service and the quote finder call."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from quote_stance.model import classifier
from quote_stance.model.artifacts import default_model_dir, load_verified
from quote_stance.model.classifier import Prediction
from quote_stance.model.context import context_rows
from quote_stance.model.labels import LABELS

Context = Sequence[str | None] | None


class StanceModel:
    """A fitted pipeline with its metadata; immutable once loaded, so it is safe to share."""

    def __init__(self, pipeline, metadata: dict, directory: Path | None = None) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.directory = directory

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unversioned"))

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    @property
    def uses_context(self) -> bool:
        """Whether the pipeline reads the speaker and role (models trained before it did not)."""
        config = self.metadata.get("config")
        return bool(isinstance(config, dict) and config.get("context"))

    def inputs(self, texts: Sequence[str], speakers: Context = None, roles: Context = None) -> list | np.ndarray:
        """What the pipeline takes for these quotes: (text, speaker, role) rows for a model with
        context, the texts alone for one without (which then ignores the context)."""
        if not self.uses_context:
            return list(texts)
        return context_rows(texts, speakers, roles)

    def predict_proba(self, texts: Sequence[str], speakers: Context = None, roles: Context = None) -> np.ndarray:
        """(n, 3) probabilities, columns in `LABELS` order; `speakers`/`roles`: None or "" = unknown."""
        return classifier.probabilities(self.pipeline, self.inputs(texts, speakers, roles))

    def predict(self, texts: Sequence[str], speakers: Context = None, roles: Context = None) -> list[Prediction]:
        return classifier.to_predictions(self.predict_proba(texts, speakers, roles))

    def predict_one(self, text: str, speaker: str | None = None, role: str | None = None) -> Prediction:
        return self.predict([text], [speaker], [role])[0]

    def explain(self, text: str, speaker: str | None = None, role: str | None = None, top: int = 10) -> list[tuple[str, float]]:
        return classifier.explain(self.pipeline, self.inputs([text], [speaker], [role]), top=top)


def load_model(directory: Path | str | None = None) -> StanceModel:
    """Load and verify a model directory; the shipped default model when none is given."""
    path = Path(directory) if directory is not None else default_model_dir()
    pipeline, metadata = load_verified(path)
    return StanceModel(pipeline, metadata, path)
