"""Soak test of the HTTP service on loopback: many requests, good and bad, and a reload midway.

Starts `stance serve` (one worker, API keys set, a copy of the shipped model) and drives it
from an HTTP/1.1 client written here on asyncio streams (not the service's code, nor httpx):
N keep-alive connections, each sending the next request of one fixed, seeded sequence as
soon as its previous answer is in. The sequence mixes valid requests (quotes of
data/quotes_news.csv to /v1/score, batches, articles to /v1/extract, the model and health
routes) with invalid ones (not JSON, wrong types, empty or over-long texts, bodies over the
size limit, deep nesting, missing or wrong keys, unknown routes and methods). Every request
has the status it must get. Midway the model directory is rewritten as a new version and
reloaded (POST /v1/model/reload, which must answer 200 while the other connections keep
going); a little later an altered copy is offered and must be refused (409), the old model
serving on. The server's resident memory is read from /proc at every 1% of the run.

    python -m bench.soak                              # 100,000 requests, 32 connections
    python -m bench.soak --requests 5000 --json       # what the CI test runs

Prints a table (or JSON): requests, duration, statuses, 5xx, failed valid requests (a valid
request without its 200, or with a transport error), latency, and resident memory after the
first 10% of requests and at the end. Exit status 1 if any bar is missed. Traffic goes to
127.0.0.1 only, and the run is bounded in count and time.
"""

import argparse
import asyncio
import csv
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "quotes_news.csv"
KEY = "soak-key-5d1f8a2c"
MAX_GROWTH = 0.10  # resident memory, growth within each segment (before and after the reload)
TIMEOUT = 60.0  # seconds for one answer


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes
    expected: int
    key: str | None = KEY

    @property
    def valid(self) -> bool:
        return self.expected == 200


@dataclass
class Results:
    statuses: Counter = field(default_factory=Counter)  # (kind, status) -> count
    latencies: list[float] = field(default_factory=list)
    transport_errors: Counter = field(default_factory=Counter)  # kind -> count
    unexpected: list[str] = field(default_factory=list)
    done: int = 0


def quotes() -> list[str]:
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def request_mix(texts: list[str]) -> list[tuple[float, object]]:
    """(weight, maker) pairs: each maker turns a random generator into a Request."""
    def text(r: random.Random) -> str:
        return r.choice(texts)

    def body(value) -> bytes:
        return json.dumps(value).encode()

    def article(r: random.Random) -> str:
        a, b, c = (text(r).replace('"', "'") for _ in range(3))
        return (f'CEDAR FALLS (Wire) - The county weighed its answer on Monday. "{a}" Mayor Dana Roe said.\n\n'
                f'"{b}" said Ana Ruiz, a county lawyer. Officials met again. "{c}" Roe added.')

    return [
        (40, lambda r: Request("score", "POST", "/v1/score", body({"text": text(r)}), 200)),
        (3, lambda r: Request("score+explain", "POST", "/v1/score", body({"text": text(r), "explain": True}), 200)),
        (8, lambda r: Request("batch", "POST", "/v1/score/batch",
                              body({"items": [{"id": str(i), "text": text(r)} for i in range(r.randint(1, 20))]}), 200)),
        (4, lambda r: Request("extract", "POST", "/v1/extract", body({"text": article(r)}), 200)),
        (2, lambda r: Request("model", "GET", "/v1/model", b"", 200)),
        (2, lambda r: Request("health", "GET", "/v1/health", b"", 200, key=None)),
        (1, lambda r: Request("half an emoji", "POST", "/v1/score", body({"text": text(r) + "\ud83d"}), 200)),
        # invalid
        (8, lambda r: Request("not JSON", "POST", "/v1/score", body({"text": text(r)})[:-2], 422)),
        (5, lambda r: Request("empty text", "POST", "/v1/score", body({"text": " " * r.randint(0, 5)}), 422)),
        (5, lambda r: Request("wrong type", "POST", "/v1/score/batch", body({"items": text(r)}), 422)),
        (3, lambda r: Request("missing field", "POST", "/v1/extract", body({"body": text(r)}), 422)),
        (2, lambda r: Request("text over limit", "POST", "/v1/score", body({"text": "word " * 20_001}), 422)),
        (1, lambda r: Request("batch over limit", "POST", "/v1/score/batch", body({"items": [{"text": "x"}] * 1001}), 422)),
        (1, lambda r: Request("deep nesting", "POST", "/v1/score", b"[" * 50_000, 422)),
        (0.3, lambda r: Request("body over limit", "POST", "/v1/score", body({"text": "a" * (1 << 20)}), 413)),
        (4, lambda r: Request("no key", "POST", "/v1/score", body({"text": text(r)}), 401, key=None)),
        (3, lambda r: Request("wrong key", "GET", "/v1/model", b"", 401, key="not-" + KEY)),
        (2, lambda r: Request("unknown route", "GET", "/v1/nothing", b"", 404)),
        (2, lambda r: Request("wrong method", "GET", "/v1/score", b"", 405)),
    ]


def sequence(count: int, seed: int = 0) -> list[Request]:
    texts = quotes()
    mix = request_mix(texts)
    generator = random.Random(seed)
    weights = [w for w, _ in mix]
    makers = generator.choices([m for _, m in mix], weights=weights, k=count)
    return [make(generator) for make in makers]


def encode(request: Request, host: str) -> bytes:
    head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
            f"Content-Length: {len(request.body)}"]
    if request.key:
        head.append(f"X-API-Key: {request.key}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + request.body


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, whether the server will close the connection) of one HTTP/1.1 answer."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, close = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value == "close":
            close = True
        elif name == "transfer-encoding":
            raise ConnectionError(f"unexpected transfer-encoding {value}")
    return status, await reader.readexactly(length), close


class Soak:
    def __init__(self, port: int, requests: list[Request], connections: int, pid: int, model_dir: Path) -> None:
        self.host, self.port = "127.0.0.1", port
        self.requests = requests
        self.connections = connections
        self.pid = pid
        self.model_dir = model_dir
        self.results = Results()
        self.next = 0
        self.memory: list[tuple[int, int]] = []  # (requests done, resident kB)
        self.reloads: list[dict] = []
        self._marks = {max(1, len(requests) * p // 100) for p in range(1, 101)}
        # Indexes of the requests before which the model is reloaded: a new version midway, then an
        # altered copy that must be refused. `figures` splits the memory readings at them.
        self.reload_at = len(requests) // 2
        self.refused_reload_at = len(requests) * 6 // 10

    async def run(self) -> None:
        self.memory.append((0, resident_kb(self.pid)))
        await asyncio.gather(*(self.connection() for _ in range(self.connections)))

    async def connection(self) -> None:
        reader = writer = None
        while self.next < len(self.requests):
            index = self.next
            self.next += 1
            request = self.requests[index]
            if index in (self.reload_at, self.refused_reload_at):
                await self.reload(good=index == self.reload_at)
                # This connection sat idle while the reload was asked for; a reload can take
                # longer than uvicorn's keep-alive timeout (5 s) on a loaded machine, when the
                # server closes it, and a request written on it then meets a reset. A client
                # whose connection idled that long opens a new one.
                writer = _close(writer)
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)
                writer.write(encode(request, self.host))
                await writer.drain()
                status, body, close = await asyncio.wait_for(read_answer(reader), TIMEOUT)
            except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                self.results.transport_errors[request.kind] += 1
                self.results.unexpected.append(f"#{index} {request.kind}: {type(error).__name__}: {error}")
                writer = _close(writer)
                self._count()
                continue
            self.results.latencies.append(time.perf_counter() - started)
            self.results.statuses[(request.kind, status)] += 1
            if status != request.expected:
                self.results.unexpected.append(f"#{index} {request.kind}: {status} (expected {request.expected}): "
                                               f"{body[:200]!r}")
            if close:
                writer = _close(writer)
            self._count()
        _close(writer)

    def _count(self) -> None:
        self.results.done += 1
        if self.results.done in self._marks:
            self.memory.append((self.results.done, resident_kb(self.pid)))

    async def reload(self, good: bool) -> None:
        """Rewrite the model directory (a new version, or an altered file) and ask for a reload."""
        from quote_stance.model.artifacts import METADATA_FILE, MODEL_FILE, default_model_dir, write_manifest

        if good:
            metadata = json.loads((self.model_dir / METADATA_FILE).read_text(encoding="utf-8"))
            metadata["version"] = "soak-reloaded"
            (self.model_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
            write_manifest(self.model_dir)
        else:
            with open(self.model_dir / MODEL_FILE, "ab") as handle:
                handle.write(b"\0")
        reader, writer = await asyncio.open_connection(self.host, self.port)
        started = time.perf_counter()
        writer.write(encode(Request("reload", "POST", "/v1/model/reload", b"", 200), self.host))
        await writer.drain()
        status, body, _ = await asyncio.wait_for(read_answer(reader), TIMEOUT)
        _close(writer)
        answer = json.loads(body)
        self.reloads.append({"at": self.results.done, "good": good, "status": status,
                             "seconds": round(time.perf_counter() - started, 3),
                             "version": answer.get("model_version"), "message": answer.get("message", "")})
        if not good:  # put the good file back: the service never stopped serving the good model
            shutil.copy2(default_model_dir() / MODEL_FILE, self.model_dir / MODEL_FILE)


def _close(writer) -> None:
    if writer is not None:
        writer.close()
    return None


def resident_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def start_server(folder: Path, model_dir: Path) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = folder / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")} | {"STANCE_API_KEYS": KEY}
    stance = str(Path(sys.executable).with_name("stance"))
    with open(log, "wb") as out:
        process = subprocess.Popen([stance, "serve", "--host", "127.0.0.1", "--port", str(port), "--model",
                                    str(model_dir), "--log-level", "warning"], stdout=out, stderr=subprocess.STDOUT,
                                   env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                if b" 200 " in sock.recv(1024):
                    return process, port, log
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"stance serve did not start:\n{log.read_text(errors='replace')}")


def run(requests: int = 100_000, connections: int = 32, seed: int = 0) -> dict:
    """Run the soak and return its figures (see `report`)."""
    from quote_stance.model.artifacts import default_model_dir

    folder = Path(tempfile.mkdtemp(prefix="stance-soak-"))
    model_dir = folder / "model"
    shutil.copytree(default_model_dir(), model_dir)
    planned = sequence(requests, seed)
    process, port, log = start_server(folder, model_dir)
    try:
        soak = Soak(port, planned, connections, process.pid, model_dir)
        started = time.perf_counter()
        asyncio.run(soak.run())
        seconds = time.perf_counter() - started
        server_alive = process.poll() is None
    finally:
        stop(process)
    log_text = log.read_text(encoding="utf-8", errors="replace")
    shutil.rmtree(folder, ignore_errors=True)
    return figures(planned, soak, seconds, server_alive, log_text)


def figures(planned: list[Request], soak: Soak, seconds: float, server_alive: bool, log_text: str) -> dict:
    results = soak.results
    valid = Counter(r.kind for r in planned if r.valid)
    by_status = Counter()
    for (_kind, status), n in results.statuses.items():
        by_status[status] += n
    ok_valid = sum(n for (kind, status), n in results.statuses.items() if status == 200 and kind in valid)
    failed_valid = sum(valid.values()) - ok_valid
    tenth = next(kb for done, kb in soak.memory if done >= len(planned) // 10)
    end = soak.memory[-1][1]
    # Growth per request, measured apart from the reload's one step: before the reload (after
    # the first tenth) and after it (from the first mark past the refused reload) to the end.
    # A load's short-lived objects leave pages the allocator keeps (bench/reload_memory.py shows
    # the step levels off); it is reported as `rss_reload_step`, a leak per request shows in either segment.
    before = [kb for done, kb in soak.memory if len(planned) // 10 <= done <= soak.reload_at]
    after = [kb for done, kb in soak.memory if done > soak.refused_reload_at]
    segments = [(before[0], before[-1])] + ([(after[0], after[-1])] if after else [])
    growth = max((last - first) / first for first, last in segments)
    reload_step = (after[0] - before[-1]) / before[-1] if after else 0.0
    latencies = sorted(results.latencies)
    return {
        "requests": len(planned),
        "connections": soak.connections,
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(planned) / seconds),
        "valid_requests": sum(valid.values()),
        "invalid_requests": len(planned) - sum(valid.values()),
        "statuses": {str(k): v for k, v in sorted(by_status.items())},
        "server_errors": sum(n for status, n in by_status.items() if status >= 500),
        "failed_valid": failed_valid,
        "unexpected_status": sum(1 for line in results.unexpected if "expected" in line),
        "transport_errors": sum(results.transport_errors.values()),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 2) if latencies else None,
        "rss_start_mb": round(soak.memory[0][1] / 1024, 1),
        "rss_after_first_tenth_mb": round(tenth / 1024, 1),
        "rss_end_mb": round(end / 1024, 1),
        "rss_growth": round(growth, 4),
        "rss_reload_step": round(reload_step, 4),
        "rss_max_mb": round(max(kb for _, kb in soak.memory) / 1024, 1),
        "rss_curve_mb": {done: round(kb / 1024, 1) for done, kb in soak.memory
                         if done % max(1, len(planned) // 10) == 0},
        "reloads": soak.reloads,
        "server_alive": server_alive,
        "logged_500s": log_text.count('"status": 500'),
        "logged_tracebacks": log_text.count("Traceback"),
        "examples_of_unexpected": results.unexpected[:10],
        "by_kind": {kind: dict(sorted((str(s), n) for (k, s), n in results.statuses.items() if k == kind))
                    for kind in sorted({r.kind for r in planned})},
    }


def bars(result: dict) -> list[str]:
    """The bars the run missed (empty when it met them all)."""
    missed = []
    if result["server_errors"] or result["logged_500s"] or result["logged_tracebacks"]:
        missed.append("a 5xx answer or a traceback")
    if result["failed_valid"] or result["transport_errors"] or result["unexpected_status"]:
        missed.append("a request without its expected answer")
    if result["rss_growth"] >= MAX_GROWTH:
        missed.append(f"resident memory grew {result['rss_growth']:.1%} (limit {MAX_GROWTH:.0%})")
    reloads = result["reloads"]
    if [(r["good"], r["status"]) for r in reloads] != [(True, 200), (False, 409)]:
        missed.append(f"reloads did not go as they must: {reloads}")
    if not result["server_alive"]:
        missed.append("the server died")
    return missed


def report(result: dict) -> str:
    reload_good, reload_bad = (result["reloads"] + [{}, {}])[:2]
    rows = [
        ("requests (valid / invalid)", f"{result['requests']:,} ({result['valid_requests']:,} / "
                                       f"{result['invalid_requests']:,})"),
        ("connections", result["connections"]),
        ("duration", f"{result['seconds']} s ({result['requests_per_second']:,} requests/s)"),
        ("answers by status", ", ".join(f"{k}: {v:,}" for k, v in result["statuses"].items())),
        ("5xx answers", result["server_errors"]),
        ("valid requests without their 200", result["failed_valid"]),
        ("answers other than the expected status", result["unexpected_status"]),
        ("transport errors (reset, timeout)", result["transport_errors"]),
        ("latency p50 / p99", f"{result['p50_ms']} ms / {result['p99_ms']} ms"),
        ("reload midway (new version)", f"{reload_good.get('status')} after {reload_good.get('at', 0):,} requests, "
                                        f"{reload_good.get('seconds')} s"),
        ("reload of an altered model", f"{reload_bad.get('status')} after {reload_bad.get('at', 0):,} requests"),
        ("server RSS at start / after 10% / at the end", f"{result['rss_start_mb']} / "
                                                          f"{result['rss_after_first_tenth_mb']} / {result['rss_end_mb']} MB"),
        ("RSS growth, before and after the reload (the larger)", f"{result['rss_growth']:+.1%} (max {result['rss_max_mb']} MB)"),
        ("RSS step at the reload", f"{result['rss_reload_step']:+.1%}"),
    ]
    return "\n".join(["| figure | value |", "| --- | --- |"] + [f"| {name} | {value} |" for name, value in rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.requests, args.connections, args.seed)
    print(json.dumps(result, indent=2) if args.json else report(result))
    missed = bars(result)
    for bar in missed:
        print(f"missed: {bar}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
