"""Adaptive micro-batching of concurrent /v1/score requests (as BentoML's and MLServer's).

Each request hands its quote to the batcher and awaits its own row of probabilities. One
dispatcher task collects the waiting quotes, up to `max_batch_size`, waiting at most
`max_latency_ms` after the first for more to arrive, then makes ONE `predict_proba` call for
them in a single worker thread, off the event loop. While that call runs, the next requests
queue up: under load batches grow by themselves; at low load a quote waits at most the window.

Why it pays: one `predict_proba` call has a fixed cost (input checks, every pipeline step) that
a batch shares; one quote alone costs about ten times its share of a large batch.

Every quote is scored by the model that was serving when its request arrived (a reload between
arrival and dispatch does not change its answer), and a quote that makes the model fail fails
its own request only: the batch is then scored again one quote at a time.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from quote_stance.model.predictor import StanceModel

T = TypeVar("T")


@dataclass
class _Waiting:
    model: StanceModel
    text: str
    speaker: str | None
    role: str | None
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Groups concurrent quotes into one `predict_proba` call in one worker thread."""

    def __init__(
        self, max_batch_size: int = 64, max_latency_ms: float = 1.0,
        observe_batch: Callable[[int], None] | None = None,
    ) -> None:
        if max_batch_size < 1 or max_latency_ms < 0:
            raise ValueError("max_batch_size must be at least 1 and max_latency_ms at least 0")
        self.max_batch_size = max_batch_size
        self.max_latency_ms = max_latency_ms
        self._observe_batch = observe_batch  # e.g. a metrics histogram of batch sizes
        # One thread: the model's work is CPU-bound under the GIL, so more threads would only
        # take turns; one keeps batches large and the event loop's share of the processor steady.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stance-model")
        self._waiting: list[_Waiting] = []
        self._arrived: asyncio.Event | None = None
        self._dispatcher: asyncio.Task | None = None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in the model's thread (a batch route, an explanation)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    async def predict_proba(
        self, model: StanceModel, text: str, speaker: str | None = None, role: str | None = None
    ) -> np.ndarray:
        """The probability row of one quote, scored by `model` together with its neighbours."""
        loop = asyncio.get_running_loop()
        self._ensure_dispatcher(loop)
        future = loop.create_future()
        self._waiting.append(_Waiting(model, text, speaker, role, future))
        self._arrived.set()
        return await future

    async def close(self) -> None:
        """Stop the dispatcher (the app's shutdown); quotes still waiting are cancelled."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            try:
                await self._dispatcher
            except asyncio.CancelledError:
                pass
            self._dispatcher = None
        for waiting in self._waiting:
            waiting.future.cancel()
        self._waiting.clear()

    def _ensure_dispatcher(self, loop: asyncio.AbstractEventLoop) -> None:
        # Started on first use, on the loop that serves the requests (tests may run several loops).
        task = self._dispatcher
        if task is None or task.done() or task.get_loop() is not loop:
            self._arrived = asyncio.Event()
            self._dispatcher = loop.create_task(self._dispatch(), name="stance-micro-batcher")

    async def _dispatch(self) -> None:
        while True:
            await self._arrived.wait()
            if len(self._waiting) < self.max_batch_size and self.max_latency_ms > 0:
                await asyncio.sleep(self.max_latency_ms / 1000)  # the window for neighbours
            batch = self._waiting[: self.max_batch_size]
            del self._waiting[: self.max_batch_size]
            if not self._waiting:
                self._arrived.clear()
            try:
                await self._score(batch)
            except asyncio.CancelledError:  # shutting down: no request waits for an answer that will not come
                for waiting in batch:
                    waiting.future.cancel()
                raise

    async def _score(self, batch: list[_Waiting]) -> None:
        by_model: dict[int, list[_Waiting]] = {}
        for waiting in batch:
            if not waiting.future.done():  # done: its client went away
                by_model.setdefault(id(waiting.model), []).append(waiting)
        for group in by_model.values():
            try:
                if self._observe_batch is not None:
                    self._observe_batch(len(group))
                outcomes = await self.run(_score_group, group)
            except Exception as error:  # the executor is gone (shutdown): fail these, keep dispatching
                outcomes = [error] * len(group)
            for waiting, outcome in zip(group, outcomes):
                if waiting.future.done():
                    continue
                if isinstance(outcome, BaseException):
                    waiting.future.set_exception(outcome)
                else:
                    waiting.future.set_result(outcome)


def _score_group(group: list[_Waiting]) -> list[np.ndarray | Exception]:
    """One call for the group; if it fails, each quote alone, so each gets its own outcome."""
    model = group[0].model
    texts = [w.text for w in group]
    speakers = [w.speaker for w in group]
    roles = [w.role for w in group]
    try:
        return list(model.predict_proba(texts, speakers, roles))
    except Exception:
        outcomes: list[np.ndarray | Exception] = []
        for waiting in group:
            try:
                outcomes.append(model.predict_proba([waiting.text], [waiting.speaker], [waiting.role])[0])
            except Exception as error:
                outcomes.append(error)
        return outcomes
