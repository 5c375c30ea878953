"""The service layer: what each route asks of the model, in plain Python.

Every operation takes the holder's current model once and uses it to the end, so a reload
in the middle of a request never mixes two models in one answer.
"""

import asyncio
import importlib
import json
import os
import signal
from collections.abc import Callable, Sequence
from functools import lru_cache

from quote_stance.common import StanceError
from quote_stance.model.labels import LABELS
from quote_stance.model.predictor import StanceModel
from quote_stance.service.metrics import Metrics
from quote_stance.service.model_holder import ModelHolder, Swap, load_checked

EXPLAIN_TERMS = 10
# A quote waiting to be scored: its text, speaker and role (None = unknown).
Quote = tuple[str, str | None, str | None]


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


@lru_cache(maxsize=8)
def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def score_answer_json(probabilities: list[float], version: str) -> tuple[str, bytes]:
    """The stance of one probability row (`LABELS` order) and the /v1/score answer as JSON
    bytes: what serialising the ScoreResponse dict gives (same fields, order and numbers;
    compact separators as FastAPI's JSONResponse), without validating a dict the service
    built itself. The stance is `to_prediction`'s: the first of equal maxima."""
    support, oppose, neutral = probabilities
    confidence = max(probabilities)
    stance = LABELS[probabilities.index(confidence)]
    return stance, (
        f'{{"stance":"{stance}","confidence":{confidence!r},"probabilities":'
        f'{{"support":{support!r},"oppose":{oppose!r},"neutral":{neutral!r}}},'
        f'"model_version":{_json_string(version)}}}'
    ).encode()


class ScoringService:
    def __init__(self, holder: ModelHolder, metrics: Metrics) -> None:
        self.holder = holder
        self.metrics = metrics
        # Quotes of /v1/score waiting for this turn of the event loop to end (see score_json_soon).
        self._waiting: list[tuple[StanceModel, Quote, asyncio.Future]] = []

    @property
    def model(self) -> StanceModel:
        return self.holder.model

    def score(self, text: str, explain: bool = False, speaker: str | None = None, role: str | None = None) -> dict:
        model = self.holder.model
        prediction = model.predict_one(text, speaker, role)
        self.metrics.count_prediction(prediction.stance)
        answer = prediction_fields(prediction)
        answer["model_version"] = model.version
        if explain:
            answer["explanation"] = [
                {"term": term, "weight": weight} for term, weight in model.explain(text, speaker, role, top=EXPLAIN_TERMS)
            ]
        return answer

    def score_json(self, text: str, speaker: str | None = None, role: str | None = None) -> bytes:
        """`score(text)` as the JSON bytes of the answer."""
        model = self.holder.model
        stance, answer = score_answer_json(model.predict_proba([text], [speaker], [role])[0].tolist(), model.version)
        self.metrics.count_prediction(stance)
        return answer

    async def score_json_soon(self, text: str, speaker: str | None = None, role: str | None = None) -> bytes:
        """`score_json(text)`, scored together with the other quotes that arrive in the same
        turn of the event loop.

        Under load a turn of the loop takes in several requests; scoring their quotes together
        (the model's chunk path from three quotes on) shares the per-call costs and keeps the
        model's code and data in the processor's caches, rather than each quote paying them
        between two trips through the web stack. Each quote is scored by the model that was
        serving when its request arrived, and gets its own answer.
        """
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((self.holder.model, (text, speaker, role), future))
        if len(self._waiting) == 1:
            loop.call_soon(self._score_waiting)
        return await future

    def _score_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        by_model: dict[int, list[tuple[StanceModel, Quote, asyncio.Future]]] = {}
        for entry in waiting:
            if not entry[2].done():  # a done future: the request was cancelled (its client went away)
                by_model.setdefault(id(entry[0]), []).append(entry)
        for group in by_model.values():
            model = group[0][0]
            try:
                texts, speakers, roles = zip(*(quote for _model, quote, _future in group))
                rows = model.predict_proba(texts, speakers, roles).tolist()
            except Exception:  # find the quote that fails: each request gets its own error
                rows = []
                for _model, (text, speaker, role), future in group:
                    try:
                        rows.append(model.predict_proba([text], [speaker], [role])[0].tolist())
                    except Exception as error:
                        future.set_exception(error)
                        rows.append(None)
            for (_model, _text, future), row in zip(group, rows):
                if row is not None and not future.done():
                    stance, answer = score_answer_json(row, model.version)
                    self.metrics.count_prediction(stance)
                    future.set_result(answer)

    def score_batch(
        self,
        ids: Sequence[str | None],
        texts: Sequence[str],
        speakers: Sequence[str | None] | None = None,
        roles: Sequence[str | None] | None = None,
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
