"""Prometheus metrics of one app: requests, latency, predictions, model version, reloads.

prometheus_client's own Counter, Histogram and Gauge, in a registry of the app's own (several
apps in one process, as in the tests, do not collide); `/metrics` is `generate_latest`.
"""

from collections import Counter as Tally
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# The *_created series double the output and no dashboard here reads them.
disable_created_metrics()

# Milliseconds matter here: single scores take about one.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
_REQUEST_LABELS = ["route", "method", "status"]


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "stance_http_requests", "HTTP requests answered", _REQUEST_LABELS, registry=self.registry
        )
        self.latency = Histogram(
            "stance_http_request_duration_seconds", "Time from the request's arrival to the end of the answer",
            _REQUEST_LABELS, buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.predictions = Counter(
            "stance_predictions", "Quotes scored, by predicted stance", ["stance"], registry=self.registry
        )
        self.batch_sizes = Histogram(
            "stance_model_batch_size", "Quotes per model call of the micro-batcher (/v1/score)",
            buckets=BATCH_SIZE_BUCKETS, registry=self.registry,
        )
        self.model_info = Gauge(
            "stance_model_info", "The model in service (value 1, version as a label)", ["version"], registry=self.registry
        )
        self.reloads = Counter(
            "stance_model_reloads", "Model reload attempts by outcome", ["outcome"], registry=self.registry
        )
        self._version: str | None = None

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method, str(status)).observe(seconds)

    def count_prediction(self, stance: str) -> None:
        self.predictions.labels(stance).inc()

    def count_predictions(self, stances: Iterable[str]) -> None:
        for stance, n in Tally(stances).items():
            self.predictions.labels(stance).inc(n)

    def set_model(self, version: str) -> None:
        if self._version is not None and self._version != version:
            self.model_info.remove(self._version)
        self.model_info.labels(version).set(1)
        self._version = version

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
