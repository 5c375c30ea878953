"""Load benchmark of /v1/score against its two anchors, with wrk, in one run on one machine.

Three servers, one uvicorn worker each, driven in turn by wrk (32 connections, 10 s by
default) on bodies cycling over every real quote of data/quotes_news.csv (no answer can be
reused):
- (a) `bench/naive_app.py`: a plain FastAPI route calling `load_model().predict_proba([text])`
  per request, what a user would write by hand around the shipped model;
- the bare route, `bench/bare_app.py`: FastAPI parsing the same body and answering a constant
  (the framework's floor);
- the service, `stance serve`: POST /v1/score.
Then the time of one POST /v1/score/batch of 1,000 quotes, sequential requests. Then the
bare route and /v1/score once more at one paced rate (`--paced-rate`, default 600 requests/s
offered; each connection pauses between requests, wrk's `delay`), below both servers' capacity:
their latencies at the same load, where the saturated runs compare each at its own limit.

    python -m bench.service_load [--duration 10] [--connections 32] [--rounds 3] [--paced-rate 600]

The targets run in turn, round after round, so a change in the machine's other load touches
every side alike; the table shows each target's median round, and the ratios of every round.
Bars (issue 11): /v1/score at least min(3x (a), 0.8x bare) requests/s; p99 at most 1.5x the
bare route's; no errors; the batch of 1,000 in at most 200 ms.

Needs `wrk` (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 only.
"""

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.processes import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "quotes_news.csv"
BIG_BATCH = 1000


def quotes() -> list[str]:
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def lua_script(path: str, bodies: list[str], pause_ms: float | None = None) -> str:
    """A wrk script that cycles through `bodies`, one per request; with `pause_ms`, each
    connection waits that long on average before each request (wrk's `delay`), which paces the load."""
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
        # a random pause of `pause_ms` on average: a fixed one keeps the connections in step, and
        # the load comes as bursts of one request per connection instead of a steady rate
        + (f"delay = function() return math.random() * {2 * pause_ms:.3f} end\n" if pause_ms else "")
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
        yield process.pid
    finally:
        stop(process)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its descendants so far (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError, IndexError):
            pass
    return total


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


def time_big_batch(port: int, pid: int, texts: list[str], repeats: int) -> tuple[list[float], float]:
    """Seconds of each sequential POST /v1/score/batch of BIG_BATCH quotes (the first, warming the
    caches, left out), and the server's CPU seconds per batch."""
    items = [{"id": str(i), "text": texts[i % len(texts)]} for i in range(BIG_BATCH)]
    body = json.dumps({"items": items}).encode()
    seconds = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        cpu_before = 0.0
        for attempt in range(repeats + 1):
            if attempt == 1:
                cpu_before = cpu_seconds(pid)
            started = time.perf_counter()
            response = client.post("/v1/score/batch", content=body, headers={"Content-Type": "application/json"})
            elapsed = time.perf_counter() - started
            if response.status_code != 200 or len(response.json()["results"]) != BIG_BATCH:
                raise SystemExit(f"batch of {BIG_BATCH} failed: {response.status_code} {response.text[:200]}")
            seconds.append(elapsed)
        cpu = (cpu_seconds(pid) - cpu_before) / repeats
    return seconds[1:], cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--batch-repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="times each target runs, in turn (default 3)")
    parser.add_argument("--paced-rate", type=float, default=600,
                        help="also drive the bare route and /v1/score at this many requests/s in all, "
                             "each connection pausing between requests, and compare their latencies "
                             "at the same load (0: skip; default 600)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    texts = quotes()
    scratch = Path(tempfile.mkdtemp(prefix="stance-bench-"))
    single = [json.dumps({"text": t}) for t in texts]
    paths = {"naive": "/naive/score", "bare": "/bare/score", "score": "/v1/score"}
    scripts = {}
    for name, path in paths.items():
        scripts[name] = scratch / f"{name}.lua"
        scripts[name].write_text(lua_script(path, single), encoding="utf-8")

    python = sys.executable
    stance = str(Path(python).with_name("stance"))
    ports = {name: free_port() for name in paths}

    def uvicorn(app: str, port: int) -> list[str]:
        return [python, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
                "--workers", "1", "--no-access-log", "--log-level", "warning"]

    commands = {
        "naive": uvicorn("bench.naive_app:app", ports["naive"]),
        "bare": uvicorn("bench.bare_app:app", ports["bare"]),
        "score": [stance, "serve", "--host", "127.0.0.1", "--port", str(ports["score"]), "--workers", "1"],
    }
    env_note = {k: v for k, v in os.environ.items() if k.startswith("STANCE_")}
    names = list(paths)
    rounds: list[dict] = []
    load: list[float] = []
    with server(commands["naive"], ports["naive"], paths["naive"], scratch / "naive.log") as naive_pid, \
            server(commands["bare"], ports["bare"], paths["bare"], scratch / "bare.log") as bare_pid, \
            server(commands["score"], ports["score"], paths["score"], scratch / "service.log") as score_pid:
        pids = {"naive": naive_pid, "bare": bare_pid, "score": score_pid}
        for _ in range(args.rounds):
            load.append(os.getloadavg()[0])
            measured = {}
            for name in names:
                # The server's CPU time per request: what the machine's other load changes least.
                cpu_before = cpu_seconds(pids[name])
                result = wrk(f"http://127.0.0.1:{ports[name]}", scripts[name], args.duration,
                             args.connections, args.threads)
                result["cpu_ms"] = (cpu_seconds(pids[name]) - cpu_before) * 1000 / max(result["requests"], 1)
                measured[name] = result
            rounds.append(measured)
        big, big_cpu = time_big_batch(ports["score"], score_pid, texts, args.batch_repeats)
        paced: dict[str, dict] = {}
        if args.paced_rate > 0:
            # Latency at one offered rate, below both servers' capacity: what a client sees at
            # that load, where the saturated runs above measure each server at its own limit.
            pause_ms = 1000 * args.connections / args.paced_rate
            for name in ("bare", "score"):
                script = scratch / f"{name}-paced.lua"
                script.write_text(lua_script(paths[name], single, pause_ms), encoding="utf-8")
                paced[name] = wrk(f"http://127.0.0.1:{ports[name]}", script, args.duration,
                                  args.connections, args.threads)

    def median_round(name: str) -> dict:
        ranked = sorted((r[name] for r in rounds), key=lambda r: r["rps"])
        return ranked[(len(ranked) - 1) // 2]

    results = {name: median_round(name) for name in names}
    labels = {
        "naive": "(a) plain FastAPI route, `predict_proba([text])` per request",
        "bare": "bare FastAPI route, same body, constant answer",
        "score": "POST /v1/score (micro-batched)",
    }
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, one uvicorn worker each, "
          f"{len(texts)} rotating real quotes, {args.rounds} rounds; STANCE_* env: {env_note or 'none'}; "
          f"1-minute load average at each round's start: {', '.join(f'{x:.2f}' for x in load)}")
    print()
    print("| target | requests/s | p50 ms | p99 ms | errors | server CPU ms a request |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in names:
        r = results[name]
        print(f"| {labels[name]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | {r['cpu_ms']:.3f} |")
    print()
    print("each round, /v1/score against (a) and against the bare route: " + "; ".join(
        f"{r['score']['rps'] / r['naive']['rps']:.2f}x (a), {r['score']['rps'] / r['bare']['rps']:.2f}x bare req/s, "
        f"{r['score']['p99'] / r['bare']['p99']:.2f}x bare p99" for r in rounds))
    print()
    print(f"batch of {BIG_BATCH} quotes, {len(big)} sequential requests: median {statistics.median(big) * 1000:.1f} ms, "
          f"max {max(big) * 1000:.1f} ms; server CPU time {big_cpu * 1000:.1f} ms a batch")
    if paced:
        print()
        print(f"at the same paced load, {args.paced_rate:.0f} requests/s offered over {args.connections} connections:")
        print()
        print("| target | requests/s | p50 ms | p99 ms | errors |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, r in paced.items():
            print(f"| {labels[name]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    score, bare, naive = results["score"], results["bare"], results["naive"]
    floor = min(3 * naive["rps"], 0.8 * bare["rps"])
    bars = {
        f"/v1/score >= min(3x (a), 0.8x bare) = {floor:.0f} req/s (median rounds)": score["rps"] >= floor,
        "/v1/score p99 <= 1.5x bare p99 (median rounds)": score["p99"] <= 1.5 * bare["p99"],
        "zero errors": all(r[name]["errors"] == 0 for r in rounds for name in names),
        f"batch of {BIG_BATCH} <= 200 ms (median)": statistics.median(big) <= 0.2,
    }
    print()
    for bar, ok in bars.items():
        print(f"{'PASS' if ok else 'FAIL'}  {bar}")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
