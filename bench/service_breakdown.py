"""Where a /v1/score request's time goes, measured in process (no HTTP server, no load generator).

Calls the ASGI apps directly with the same bodies as bench/service_load.py and reports CPU
microseconds per request (process time, so other processes on the machine disturb it less
than wall time), best of several rounds:

    python bench/service_breakdown.py

Rows: the bare FastAPI route; the bare route answered from ASGI as /v1/score is (the lower
floor, see bench/bare_app.py); the service's /v1/score as built (middleware, logging to a file,
metrics); the same app without the request observer (ids, logs, metrics); without any of the
service's middleware; the app as built with the prediction replaced by a constant answer (what
the service costs around the model); the model's prediction alone; and the prediction with
its caches cold (4 MB read between calls, as the web stack does between two requests in a
live server, where the prediction measures about twice its warm time).
"""

import asyncio
import csv
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import bare_app  # noqa: E402
from quote_stance.service.app import create_app  # noqa: E402
from quote_stance.service.limits import BodySizeLimit  # noqa: E402
from quote_stance.service.settings import Settings  # noqa: E402

ROUNDS, PER_ROUND = 5, 1000


def bodies() -> list[bytes]:
    with open(ROOT / "data" / "quotes_news.csv", encoding="utf-8-sig", newline="") as handle:
        return [json.dumps({"text": row["text"]}).encode() for row in csv.DictReader(handle)]


async def call(app, path: str, body: bytes) -> None:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "state": {},
        "headers": [(b"host", b"bench"), (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }
    delivered = False
    status = []

    async def receive():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    if status != [200]:
        raise SystemExit(f"{path}: answered {status}")


async def measure(app, path: str, payloads: list[bytes]) -> float:
    for body in payloads[:200]:
        await call(app, path, body)
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for i in range(PER_ROUND):
            await call(app, path, payloads[i % len(payloads)])
        best = min(best, (time.process_time() - started) / PER_ROUND * 1e6)
    return best


async def main() -> None:
    payloads = bodies()
    log = logging.getLogger("stance.service")
    log_file = tempfile.NamedTemporaryFile("w", suffix=".log")
    log.addHandler(logging.StreamHandler(log_file))
    log.setLevel(logging.INFO)
    log.propagate = False

    def service_app(keep):
        app = create_app(Settings())
        if keep is not None:
            app.user_middleware = [m for m in app.user_middleware if m.cls in keep]
        return app

    stubbed = service_app(None)
    apps = {
        "service /v1/score as built": service_app(None),
        "  without the request observer (ids, logs, metrics)": service_app((BodySizeLimit,)),
        "  without any service middleware": service_app(()),
        "  as built, the prediction replaced by a constant": stubbed,
    }
    rows = [("bare FastAPI route, same body", await measure(bare_app.app, "/bare/score", payloads)),
            ("bare FastAPI route answered from ASGI, as /v1/score is (lower floor)",
             await measure(bare_app.app, "/bare/score-quick", payloads))]
    for name, app in apps.items():
        async with app.router.lifespan_context(app):
            if app is stubbed:
                constant = app.state.service.score_json("We will see them in court.")

                async def constant_answer(text: str) -> bytes:
                    return constant

                app.state.service.score_json_soon = constant_answer
            rows.append((name, await measure(app, "/v1/score", payloads)))
            model = app.state.service.model
    texts = [json.loads(b)["text"] for b in payloads]
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        for i in range(PER_ROUND):
            model.predict_one(texts[i % len(texts)])
        best = min(best, (time.process_time() - started) / PER_ROUND * 1e6)
    rows.append(("model.predict_one alone", best))
    junk = np.ones(4 << 20, dtype=np.uint8)
    best = float("inf")
    for _ in range(ROUNDS):
        spent = 0.0
        for i in range(PER_ROUND // 4):
            junk.sum()  # evicts the caches, as a request's trip through the web stack does
            started = time.process_time()
            model.predict_one(texts[i % len(texts)])
            spent += time.process_time() - started
        best = min(best, spent / (PER_ROUND // 4) * 1e6)
    rows.append(("model.predict_one, caches cold", best))
    print(f"CPU µs per request, in process, best of {ROUNDS} rounds of {PER_ROUND}, {len(texts)} real quotes")
    print()
    print("| what | µs |")
    print("| --- | ---: |")
    for name, micros in rows:
        print(f"| {name.strip()} | {micros:.0f} |")


if __name__ == "__main__":
    asyncio.run(main())
