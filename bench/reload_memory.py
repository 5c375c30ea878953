"""Benchmark: the service's resident memory over many model reloads, with traffic between them.

    python -m bench.reload_memory                 # 12 reloads, 1,500 quotes between them
    python -m bench.reload_memory --reloads 4 --requests 500 --json

Starts `stance serve` (one worker, a copy of the shipped model; the soak's server) and sends
real quotes of data/quotes_news.csv to /v1/score from 16 client threads (httpx, keep-alive).
After a warm-up it asks for POST /v1/model/reload again and again, each time followed by the
same traffic, and reads the server's VmRSS after each round.

Why: a reload loads a second model while the first serves, and what the allocator keeps of
the load's short-lived objects shows as a step in resident memory at the first reloads (before
the vocabularies were saved as arrays, skops built the model from a 46 MB JSON schema, about
95 MB of such objects: see docs/model.md). A service reloaded every day must not grow with every
reload; the bar is the growth over the second half of the reloads: under 5%.
"""

import argparse
import json
import random
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.processes import stop
from bench.soak import KEY, quotes, resident_kb, start_server

MAX_LATE_GROWTH = 0.05  # RSS growth over the second half of the reloads
CLIENTS = 16


def traffic(port: int, texts: list[str], count: int, seed: int) -> None:
    """`count` quotes to /v1/score from CLIENTS threads; any answer but 200 stops the bench."""
    generator = random.Random(seed)
    chosen = [generator.choice(texts) for _ in range(count)]
    shares = [chosen[i::CLIENTS] for i in range(CLIENTS)]

    def client(share: list[str]) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": KEY}, timeout=60) as http:
            for text in share:
                answer = http.post("/v1/score", json={"text": text})
                if answer.status_code != 200:
                    raise SystemExit(f"/v1/score answered {answer.status_code}: {answer.text[:200]}")

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, shares))


def run(reloads: int = 12, requests: int = 1500) -> dict:
    """Resident memory after the warm-up and after each reload (with its traffic), in MB."""
    from quote_stance.model.artifacts import default_model_dir

    folder = Path(tempfile.mkdtemp(prefix="stance-reloads-"))
    model_dir = folder / "model"
    shutil.copytree(default_model_dir(), model_dir)
    texts = quotes()
    process, port, _log = start_server(folder, model_dir)
    curve: list[float] = []
    try:
        for warm_up in range(2):  # the second round shows the warmed service is flat without reloads
            traffic(port, texts, requests, seed=warm_up)
            curve.append(resident_kb(process.pid) / 1024)
        for number in range(reloads):
            answer = httpx.post(f"http://127.0.0.1:{port}/v1/model/reload", headers={"X-API-Key": KEY}, timeout=120)
            if answer.status_code != 200:
                raise SystemExit(f"reload {number + 1} answered {answer.status_code}: {answer.text[:200]}")
            traffic(port, texts, requests, seed=100 + number)
            curve.append(resident_kb(process.pid) / 1024)
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    warm, after = curve[1], curve[2:]
    middle = after[len(after) // 2 - 1] if len(after) >= 2 else warm
    return {
        "reloads": reloads,
        "requests_between": requests,
        "rss_warm_mb": round(warm, 1),
        "rss_after_each_reload_mb": [round(mb, 1) for mb in after],
        "step_over_all_reloads": round((after[-1] - warm) / warm, 4) if after else 0.0,
        "growth_over_second_half": round((after[-1] - middle) / middle, 4) if after else 0.0,
        "rss_warm_up_rounds_mb": [round(mb, 1) for mb in curve[:2]],
    }


def report(result: dict) -> str:
    lines = ["| after | server RSS (MB) |", "| --- | ---: |"]
    lines += [f"| warm-up round {i + 1} | {mb} |" for i, mb in enumerate(result["rss_warm_up_rounds_mb"])]
    lines += [f"| reload {i + 1} | {mb} |" for i, mb in enumerate(result["rss_after_each_reload_mb"])]
    lines.append("")
    lines.append(f"Step from the warm service to the last reload: {result['step_over_all_reloads']:+.1%}; "
                 f"growth over the second half of the reloads: {result['growth_over_second_half']:+.1%} "
                 f"(bar: under {MAX_LATE_GROWTH:.0%}).")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reloads", type=int, default=12)
    parser.add_argument("--requests", type=int, default=1500, help="quotes scored after each reload")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.reloads < 2:
        parser.error("--reloads must be at least 2 (the bar is about the second half)")
    result = run(args.reloads, args.requests)
    print(json.dumps(result, indent=2) if args.json else report(result))
    if result["growth_over_second_half"] >= MAX_LATE_GROWTH:
        print(f"resident memory still grows after {args.reloads // 2} reloads", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
