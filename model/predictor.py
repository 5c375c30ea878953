"""A loaded, verified stance model: what the CLI, the service and the quote finder call."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model import classifier
from model.artifacts import default_model_dir, load_verified
from model.classifier import Prediction
from model.labels import LABELS
from model.scorer import CompiledScorer, compile_scorer


class StanceModel:
    """A fitted pipeline with its metadata; immutable once loaded, so it is safe to share."""

    def __init__(self, pipeline, metadata: dict, directory: Path | None = None) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.directory = directory
        # The pipeline's own probabilities, computed without scikit-learn's per-call work;
        # None if the pipeline has a shape the compiled scorer does not know.
        self.scorer: CompiledScorer | None = compile_scorer(pipeline)

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unversioned"))

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities, columns in `LABELS` order."""
        if self.scorer is not None and len(texts) > 0:
            return self.scorer.predict_proba(texts)
        return classifier.probabilities(self.pipeline, texts)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return classifier.to_predictions(self.predict_proba(texts))

    def predict_one(self, text: str) -> Prediction:
        if self.scorer is not None:
            return classifier.to_prediction(self.scorer.proba_one(text))
        return self.predict([text])[0]

    def explain(self, text: str, top: int = 10) -> list[tuple[str, float]]:
        return classifier.explain(self.pipeline, text, top=top)


def load_model(directory: Path | str | None = None) -> StanceModel:
    """Load and verify a model directory; the shipped default model when none is given."""
    path = Path(directory) if directory is not None else default_model_dir()
    pipeline, metadata = load_verified(path)
    return StanceModel(pipeline, metadata, path)
