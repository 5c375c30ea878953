"""Benchmark: `stance score` against a hand-written pandas + scikit-learn reference, same run.

    python -m bench.batch_score                    # 300,000 and 1,000,000 rows
    python -m bench.batch_score --rows 20000       # a quick run
    python -m bench.batch_score --stance /tmp/prod/bin/stance   # `stance` of a plain `pip install .`

The reference needs pandas (the dev extras); `stance` itself does not, and scikit-learn imports
pandas whenever it is installed (~60 MB a process): `--stance` runs the command of an install
without the dev extras, as a user's is.

Generates realistic CSVs in /tmp (see bench/quote_rows.py), then for each size runs, as
subprocesses, `stance score` and the reference (b): pandas read_csv, the shipped model's own
`load_model().predict_proba` on the text column, to_csv. Timed runs come first, `--rounds` of
each (default 3), the two commands in turn, with nothing else of the bench running (a sampler
reading /proc takes processor time, and on a 2-core machine it takes it from the side that
uses both cores); the table shows the median and the ratio of each round. Then one more run of
each with its peak resident memory sampled every 20 ms: the sum of VmRSS over the process and
its descendants, and the sum of PSS, which counts a page shared by several processes once.
The 1-minute load average before the rounds is printed (other work on the machine slows both
sides). Prints a Markdown table.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.quote_rows import write_csv

REFERENCE_NAME = "reference (b): pandas + load_model().predict_proba"
# (b) of the issue: what a user would write by hand around the same shipped model.
REFERENCE = r"""
import sys
import numpy as np
import pandas as pd
from quote_stance import load_model
model = load_model()
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
probabilities = model.predict_proba(frame["quote"].tolist())
for i, label in enumerate(model.labels):
    frame[f"prob_{label}"] = probabilities[:, i]
frame["stance"] = np.asarray(model.labels)[probabilities.argmax(axis=1)]
frame.to_csv(sys.argv[2], index=False)
"""


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from the kernel's per-thread child lists."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:  # it exited meanwhile
            pass
    return found


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """Sums of VmRSS and of Pss (shared pages divided among their processes) of `pid` and
    all its descendants."""
    total = proportional = 0
    for current in descendants(pid):
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        proportional += int(line.split()[1])
        except OSError:
            pass
    return total, proportional


def check_exit(command: list[str], process: subprocess.Popen) -> None:
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()[-2000:]}")


def timed(command: list[str]) -> float:
    """Seconds of a run with nothing sampling beside it."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    process.wait()
    seconds = time.monotonic() - started
    check_exit(command, process)
    return seconds


def peak_memory(command: list[str]) -> tuple[float, float]:
    """(peak tree RSS in MB, peak tree PSS in MB) of a run, sampled every 20 ms."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    while process.poll() is None:
        rss, pss = tree_rss_kb(process.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        time.sleep(0.02)
    check_exit(command, process)
    return peak / 1024, peak_pss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--stance", default=str(Path(sys.executable).with_name("stance")),
                        help="the stance command to measure (default: this environment's)")
    parser.add_argument("--no-reference", action="store_true",
                        help="measure stance score alone (say, its memory at a size the reference takes long on)")
    parser.add_argument("--jobs", type=int, default=None, help="stance score --jobs (default: all cores)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="timed runs of each command, taken in turn; the table shows the medians")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", file=sys.stderr)
    print("| rows | engine | seconds (median) | rows/s | peak RSS (MB) | peak PSS (MB) | speed vs reference "
          "(each round) | load avg |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="stance-bench-") as folder:
        for rows in args.rows:
            source, out = Path(folder) / f"quotes_{rows}.csv", Path(folder) / "out.csv"
            write_csv(str(source), rows)
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            commands = {"stance score": [args.stance, "score", str(source), "--output", str(out),
                                         "--text-column", "quote", "--quiet", *jobs]}
            if not args.no_reference:
                commands = {REFERENCE_NAME: [sys.executable, "-c", REFERENCE, str(source), str(out)]} | commands
            load = os.getloadavg()[0]
            seconds: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.rounds):  # in turn, so a change in the machine's load touches both alike
                for name, command in commands.items():
                    seconds[name].append(timed(command))
            reference = None if args.no_reference else seconds[REFERENCE_NAME]
            for name, command in commands.items():
                rss_mb, pss_mb = peak_memory(command)
                median = statistics.median(seconds[name])
                if reference is None:
                    versus = ""
                else:
                    rounds = ", ".join(f"{r / s:.2f}" for r, s in zip(reference, seconds[name]))
                    versus = f"{statistics.median(reference) / median:.2f}x ({rounds})"
                print(f"| {rows:,} | {name} | {median:.1f} | {rows / median:,.0f} | {rss_mb:.0f} | {pss_mb:.0f} | "
                      f"{versus} | {load:.2f} |", flush=True)
            source.unlink()


if __name__ == "__main__":
    main()
