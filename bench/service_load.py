"""Load benchmark of the HTTP service against the floor of its stack, with wrk.

Starts `stance serve` and a bare FastAPI app (bench/bare_app.py: the same body models,
a constant answer) under uvicorn with the same worker count, drives each with wrk
(32 connections, 10 s by default) on rotating bodies of real quotes, and prints a table of
requests/s, p50, p99 and errors, then the time to answer one batch of 1,000 quotes.

The bars compare /v1/score with the bare FastAPI route. /v1/score answers from ASGI, without
FastAPI's per-request endpoint machinery (service/routes/score.py), so the table also shows
it against a bare route served the same way (the lower floor): that ratio is the service's
own cost, model included, and is shown for information.

    python bench/service_load.py [--duration 10] [--connections 32] [--workers 1] [--rounds 3]

The targets run in turn, round after round (bare, quick bare, /v1/score, bare batch, batch; again), so a
change in the machine's other load touches both sides of a comparison alike; the table shows
each target's median round and the ratios of every round.

Needs `wrk` (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 only.
"""

import argparse
import csv
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run by path: the bench package is found from the project root

from bench.processes import stop  # noqa: E402
CORPUS = ROOT / "data" / "quotes_news.csv"
BATCH_ITEMS = 100
BIG_BATCH = 1000


def quotes() -> list[str]:
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lua_script(path: str, bodies: list[str]) -> str:
    """A wrk script that cycles through `bodies`, one per request."""
    def literal(body: str) -> str:
        level = 0
        while f"]{'=' * level}]" in body:
            level += 1
        return f"[{'=' * level}[{body}]{'=' * level}]"

    return (
        "local bodies = {" + ",\n".join(literal(b) for b in bodies) + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #bodies + 1\n"
        f'  return wrk.format("POST", "{path}", {{["Content-Type"] = "application/json"}}, bodies[i])\n'
        "end\n"
    )


@contextmanager
def server(command: list[str], port: int, probe_path: str, log_path: Path):
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.post(f"http://127.0.0.1:{port}{probe_path}", json={"text": "ready?"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {' '.join(command)}; see {log_path}")
            time.sleep(0.2)
        yield
    finally:
        stop(process)


def wrk(url: str, script: Path, duration: int, connections: int, threads: int) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def time_big_batch(port: int, texts: list[str], repeats: int) -> list[float]:
    items = [{"id": str(i), "text": texts[i % len(texts)]} for i in range(BIG_BATCH)]
    body = json.dumps({"items": items}).encode()
    seconds = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for _ in range(repeats + 1):
            started = time.perf_counter()
            response = client.post("/v1/score/batch", content=body, headers={"Content-Type": "application/json"})
            elapsed = time.perf_counter() - started
            if response.status_code != 200 or len(response.json()["results"]) != BIG_BATCH:
                raise SystemExit(f"batch of {BIG_BATCH} failed: {response.status_code} {response.text[:200]}")
            seconds.append(elapsed)
    return seconds[1:]  # the first warms the caches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers for both apps (default 1)")
    parser.add_argument("--batch-repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="times each target runs, in turn (default 3)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    texts = quotes()
    scratch = Path(tempfile.mkdtemp(prefix="stance-bench-"))
    single = [json.dumps({"text": t}) for t in texts]
    batches = [
        json.dumps({"items": [{"id": str(j), "text": texts[(k * BATCH_ITEMS + j) % len(texts)]} for j in range(BATCH_ITEMS)]})
        for k in range(20)
    ]
    scripts = {}
    for name, path, bodies in [
        ("bare_score", "/bare/score", single), ("bare_quick", "/bare/score-quick", single),
        ("score", "/v1/score", single),
        ("bare_batch", "/bare/batch", batches), ("batch", "/v1/score/batch", batches),
    ]:
        scripts[name] = scratch / f"{name}.lua"
        scripts[name].write_text(lua_script(path, bodies), encoding="utf-8")

    python = sys.executable
    stance = str(Path(python).with_name("stance"))
    bare_port, service_port = free_port(), free_port()
    bare_cmd = [python, "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1", "--port", str(bare_port),
                "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"]
    service_cmd = [stance, "serve", "--host", "127.0.0.1", "--port", str(service_port), "--workers", str(args.workers)]
    env_note = {k: v for k, v in os.environ.items() if k.startswith("STANCE_")}
    names = ["bare_score", "bare_quick", "score", "bare_batch", "batch"]
    rounds: list[dict] = []
    load: list[float] = []
    with server(bare_cmd, bare_port, "/bare/score", scratch / "bare.log"), \
            server(service_cmd, service_port, "/v1/score", scratch / "service.log"):
        ports = {"bare_score": bare_port, "bare_quick": bare_port, "score": service_port,
                 "bare_batch": bare_port, "batch": service_port}
        for _ in range(args.rounds):
            load.append(os.getloadavg()[0])
            rounds.append({name: wrk(f"http://127.0.0.1:{ports[name]}", scripts[name], args.duration,
                                     args.connections, args.threads) for name in names})
        big = time_big_batch(service_port, texts, args.batch_repeats)

    def median_round(name: str) -> dict:
        ranked = sorted((r[name] for r in rounds), key=lambda r: r["rps"])
        return ranked[(len(ranked) - 1) // 2]

    results = {name: median_round(name) for name in names}
    rows = [(name, results[name]) for name in names]
    labels = {
        "bare_score": "bare FastAPI, same body as /v1/score",
        "bare_quick": "bare FastAPI answered from ASGI as /v1/score is (lower floor)", "score": "POST /v1/score",
        "bare_batch": f"bare FastAPI, same body as batch ({BATCH_ITEMS} items)", "batch": f"POST /v1/score/batch ({BATCH_ITEMS} items)",
    }
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, uvicorn workers: {args.workers}, "
          f"{len(texts)} rotating real quotes, {args.rounds} rounds; STANCE_* env: {env_note or 'none'}; "
          f"1-minute load average at each round's start: {', '.join(f'{x:.2f}' for x in load)}")
    print()
    print("| target | requests/s | p50 ms | p99 ms | errors | vs bare |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, r in rows:
        base = results["bare_score"] if name == "score" else results["bare_batch"] if name == "batch" else None
        versus = f"{r['rps'] / base['rps']:.2f}x req/s, {r['p99'] / base['p99']:.2f}x p99" if base else ""
        if name == "score":
            lower = results["bare_quick"]
            versus += f" (lower floor: {r['rps'] / lower['rps']:.2f}x, {r['p99'] / lower['p99']:.2f}x)"
        print(f"| {labels[name]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | {versus} |")
    print()
    for floor, against in (("bare_score", "the bare route"), ("bare_quick", "the lower floor (information, not a bar)")):
        print(f"each round, /v1/score against {against}: " + "; ".join(
            f"{r['score']['rps'] / r[floor]['rps']:.2f}x req/s, {r['score']['p99'] / r[floor]['p99']:.2f}x p99"
            for r in rounds))
    print()
    print(f"batch of {BIG_BATCH} quotes, {len(big)} sequential requests: median {statistics.median(big) * 1000:.1f} ms, "
          f"max {max(big) * 1000:.1f} ms")
    score, bare = results["score"], results["bare_score"]
    bars = {
        "/v1/score >= 0.8x bare throughput (median rounds)": score["rps"] >= 0.8 * bare["rps"],
        "/v1/score p99 <= 1.5x bare p99 (median rounds)": score["p99"] <= 1.5 * bare["p99"],
        "zero errors": all(r[name]["errors"] == 0 for r in rounds for name in names),
        f"batch of {BIG_BATCH} <= 100 ms (median)": statistics.median(big) <= 0.1,
    }
    print()
    for bar, ok in bars.items():
        print(f"{'PASS' if ok else 'FAIL'}  {bar}")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
