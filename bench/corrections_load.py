"""Corrections per second through a real `stance serve`: N clients at once, each its own requests.

    python bench/corrections_load.py [--clients 32] [--each 100] [--database-url postgresql://...]

Starts `stance serve` on a free loopback port with a throwaway SQLite store (or the database
named by --database-url), sends clients x each POST /v1/corrections from that many threads,
then checks every one was stored once, and prints the rate. The server's start is not timed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import free_port, stop  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--each", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from quote_stance.store.repository import CorrectionStore

    data = tempfile.mkdtemp(prefix="stance-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")} | {"STANCE_DATA_DIR": data}
    if args.database_url:
        env["STANCE_DATABASE_URL"] = args.database_url
    url = args.database_url or f"sqlite:///{data}/corrections.sqlite3"
    before = CorrectionStore(url).count()
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("stance")), "serve", "--port", str(port)],
                              env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        failures: list[int] = []
        start = threading.Barrier(args.clients + 1)

        def client(number: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                start.wait()
                for i in range(args.each):
                    answer = http.post("/v1/corrections", json={"text": f"bench {number} {i}", "label": "neutral"})
                    if answer.status_code != 201:
                        failures.append(answer.status_code)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        stop(server)
    total = args.clients * args.each
    stored = CorrectionStore(url).count() - before
    print(f"{total} corrections from {args.clients} clients in {seconds:.2f} s: {total / seconds:,.0f}/s; "
          f"stored {stored}, failed {len(failures)} ({'sqlite' if not args.database_url else 'postgresql'})")
    return 0 if stored == total and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
