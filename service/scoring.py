"""The service layer: what each route asks of the model, in plain Python.

Every operation takes the holder's current model once and uses it to the end, so a reload
in the middle of a request never mixes two models in one answer.
"""

import importlib
import os
import signal
from collections.abc import Callable, Sequence

import numpy as np

from quote_stance.common import StanceError
from quote_stance.model.classifier import to_predictions
from quote_stance.model.predictor import StanceModel
from quote_stance.service.batching import MicroBatcher
from quote_stance.service.metrics import Metrics
from quote_stance.service.model_holder import ModelHolder, Swap, load_checked

EXPLAIN_TERMS = 10


class FeatureUnavailable(StanceError):
    """A route whose implementation is not part of this build."""


def prediction_fields(prediction) -> dict:
    return {
        "stance": prediction.stance,
        "confidence": prediction.confidence,
        "probabilities": prediction.probabilities,
    }


def quote_extractor() -> Callable[[str, StanceModel], list[dict]]:
    """`model.quotes.extract_quotes`, imported on first use; FeatureUnavailable while absent."""
    try:
        module = importlib.import_module("quote_stance.quotes.finder")
    except ModuleNotFoundError as error:
        if error.name != "quote_stance.quotes.finder":
            raise  # a dependency of the quote finder is missing: a broken install, not a missing feature
        raise FeatureUnavailable("quote extraction is not part of this build (no model.quotes module)") from None
    return module.extract_quotes


class ScoringService:
    def __init__(self, holder: ModelHolder, metrics: Metrics, batcher: MicroBatcher | None = None) -> None:
        self.holder = holder
        self.metrics = metrics
        self.batcher = batcher or MicroBatcher()

    @property
    def model(self) -> StanceModel:
        return self.holder.model

    async def score(self, text: str, speaker: str | None = None, role: str | None = None, explain: bool = False) -> dict:
        """One quote, scored with the others that arrive meanwhile (see `MicroBatcher`)."""
        model = self.holder.model  # the model serving when the request arrived
        row = await self.batcher.predict_proba(model, text, speaker, role)
        prediction = to_predictions(row[np.newaxis, :])[0]
        self.metrics.count_prediction(prediction.stance)
        answer = {**prediction_fields(prediction), "model_version": model.version}
        if explain:  # slower, and rare: in the model's thread, after the score
            terms = await self.batcher.run(model.explain, text, speaker, role, EXPLAIN_TERMS)
            answer["explanation"] = [{"term": term, "weight": weight} for term, weight in terms]
        return answer

    async def score_batch_soon(
        self, ids: Sequence[str | None], texts: Sequence[str],
        speakers: Sequence[str | None] | None = None, roles: Sequence[str | None] | None = None,
    ) -> dict:
        """`score_batch` in the model's thread: one call for the whole batch, off the event loop."""
        return await self.batcher.run(self.score_batch, ids, texts, speakers, roles)

    def score_batch(
        self, ids: Sequence[str | None], texts: Sequence[str],
        speakers: Sequence[str | None] | None = None, roles: Sequence[str | None] | None = None,
    ) -> dict:
        model = self.holder.model
        predictions = model.predict(texts, speakers, roles)
        self.metrics.count_predictions(p.stance for p in predictions)
        return {
            "results": [{"id": i, **prediction_fields(p)} for i, p in zip(ids, predictions)],
            "model_version": model.version,
        }

    def extract(self, text: str) -> dict:
        extract_quotes = quote_extractor()
        model = self.holder.model
        quotes = extract_quotes(text, model)
        self.metrics.count_predictions(q["stance"] for q in quotes)
        return {"quotes": quotes, "model_version": model.version}

    def reload(self) -> Swap:
        """Replace the model from its directory; ArtifactError (old model kept) if it is bad."""
        try:
            swap = self.holder.reload()
        except StanceError:
            self.metrics.reloads.labels("refused").inc()
            raise
        self.metrics.reloads.labels("reloaded").inc()
        self.metrics.set_model(swap.version)
        return swap

    def restart_workers(self) -> Swap:
        """With several workers: check the directory here, then have uvicorn replace every worker.

        A reload request reaches one worker only; SIGHUP to uvicorn's supervisor starts each
        replacement and waits until it is ready before retiring the worker it replaces.
        """
        try:
            candidate = load_checked(self.holder.directory)
        except StanceError:
            self.metrics.reloads.labels("refused").inc()
            raise
        self.metrics.reloads.labels("workers_restarted").inc()
        os.kill(os.getppid(), signal.SIGHUP)  # the caller checked that the parent is the supervisor
        return Swap(previous_version=self.model.version, version=candidate.version)
