"""Prometheus metrics of one app: requests, latency, predictions, model version, reloads."""

from collections import Counter as Tally
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# The *_created series double the output and no dashboard here reads them.
disable_created_metrics()

# Milliseconds matter here: single scores take well under one.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """A registry of its own per app, so several apps in one process do not collide."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "stance_http_requests", "HTTP requests answered", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "stance_http_request_duration_seconds",
            "Time from the request's arrival to the end of the answer",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.predictions = Counter(
            "stance_predictions", "Quotes scored, by predicted stance", ["stance"], registry=self.registry
        )
        self.model_info = Gauge(
            "stance_model_info", "The model in service (value 1, version as a label)", ["version"], registry=self.registry
        )
        self.reloads = Counter(
            "stance_model_reloads", "Model reload attempts by outcome", ["outcome"], registry=self.registry
        )
        self._version: str | None = None
        self._request_children: dict[tuple[str, str, int], tuple] = {}
        self._prediction_children: dict[str, object] = {}

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        children = self._request_children.get(key)
        if children is None:  # labels() takes a lock and builds a key: once per combination
            code = str(status)
            children = (self.requests.labels(route, method, code), self.latency.labels(route, method, code))
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def count_prediction(self, stance: str) -> None:
        self._prediction_child(stance).inc()

    def count_predictions(self, stances: Iterable[str]) -> None:
        for stance, n in Tally(stances).items():
            self._prediction_child(stance).inc(n)

    def _prediction_child(self, stance: str):
        child = self._prediction_children.get(stance)
        if child is None:
            child = self._prediction_children[stance] = self.predictions.labels(stance)
        return child

    def set_model(self, version: str) -> None:
        if self._version is not None and self._version != version:
            self.model_info.remove(self._version)
        self.model_info.labels(version).set(1)
        self._version = version

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
