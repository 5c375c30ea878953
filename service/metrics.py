"""Prometheus metrics of one app: requests, latency, predictions, model version, reloads.

Requests and predictions are counted on every call, so they are kept in plain dicts and
lists and turned into Prometheus samples only when `/metrics` is scraped (a collector);
prometheus_client's own metric objects take a lock and walk the buckets in Python on every
observation, several microseconds a request. Reloads and the model version change rarely
and keep prometheus_client's objects.
"""

import threading
from bisect import bisect_left
from collections import Counter as Tally
from collections.abc import Iterable, Iterator
from itertools import accumulate

from prometheus_client import CollectorRegistry, Counter, Gauge, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.utils import floatToGoString

# The *_created series double the output and no dashboard here reads them.
disable_created_metrics()

# Milliseconds matter here: single scores take well under one.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_REQUEST_LABELS = ["route", "method", "status"]


class _RequestStats:
    """Requests and their latency histogram by route, method and status."""

    def __init__(self) -> None:
        self._series: dict[tuple[str, str, int], list] = {}  # key -> [count, sum, per-bucket counts]
        self._les = [floatToGoString(b) for b in LATENCY_BUCKETS] + ["+Inf"]

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        # Called on the event loop only: no other thread changes these lists.
        series = self._series.get((route, method, status))
        if series is None:
            series = self._series[(route, method, status)] = [0, 0.0, [0] * (len(LATENCY_BUCKETS) + 1)]
        series[0] += 1
        series[1] += seconds
        series[2][bisect_left(LATENCY_BUCKETS, seconds)] += 1  # the first bucket with le >= seconds

    def collect(self) -> Iterator:
        requests = CounterMetricFamily("stance_http_requests", "HTTP requests answered", labels=_REQUEST_LABELS)
        latency = HistogramMetricFamily(
            "stance_http_request_duration_seconds", "Time from the request's arrival to the end of the answer",
            labels=_REQUEST_LABELS,
        )
        for (route, method, status), (count, total, buckets) in sorted(self._series.items()):
            labels = [route, method, str(status)]
            requests.add_metric(labels, count)
            latency.add_metric(labels, list(zip(self._les, accumulate(buckets))), total)
        yield requests
        yield latency


class _PredictionStats:
    """Quotes scored, by predicted stance (counted from the event loop and from worker threads)."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, stance: str, n: int = 1) -> None:
        with self._lock:
            self._counts[stance] = self._counts.get(stance, 0) + n

    def collect(self) -> Iterator:
        family = CounterMetricFamily("stance_predictions", "Quotes scored, by predicted stance", labels=["stance"])
        with self._lock:
            counts = sorted(self._counts.items())
        for stance, n in counts:
            family.add_metric([stance], n)
        yield family


class Metrics:
    """A registry of its own per app, so several apps in one process do not collide."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._requests = _RequestStats()
        self._predictions = _PredictionStats()
        self.registry.register(self._requests)
        self.registry.register(self._predictions)
        self.model_info = Gauge(
            "stance_model_info", "The model in service (value 1, version as a label)", ["version"], registry=self.registry
        )
        self.reloads = Counter(
            "stance_model_reloads", "Model reload attempts by outcome", ["outcome"], registry=self.registry
        )
        self._version: str | None = None

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self._requests.observe(route, method, status, seconds)

    def count_prediction(self, stance: str) -> None:
        self._predictions.add(stance)

    def count_predictions(self, stances: Iterable[str]) -> None:
        for stance, n in Tally(stances).items():
            self._predictions.add(stance, n)

    def set_model(self, version: str) -> None:
        if self._version is not None and self._version != version:
            self.model_info.remove(self._version)
        self.model_info.labels(version).set(1)
        self._version = version

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
