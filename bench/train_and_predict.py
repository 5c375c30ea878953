"""Benchmark of the core model: training time, size on disk, prediction speed.

Usage: python bench/train_and_predict.py [--repeat 3]
Trains on the shipped corpus into a temporary directory exactly as `stance train` does
(all candidates, grouped 5-fold cross-validation, final fit), then times predictions of
the trained model on the corpus texts, one at a time and in batches.
"""

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from quote_stance.data import corpus_paths
from quote_stance.model.predictor import load_model
from quote_stance.training.corpus import load_corpus
from quote_stance.training.selection import CANDIDATES
from quote_stance.training.train import train_model


def _machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions; the best is reported")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    texts = load_corpus(corpus_paths()).texts
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "model"
        started = time.perf_counter()
        train_model(corpus_paths(), output, jobs=args.jobs)
        training_seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in output.iterdir())
        model = load_model(output)

        single = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for text in texts[:500]:
                model.predict_one(text)
            single.append(500 / (time.perf_counter() - started))
        batched = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for i in range(0, len(texts), 1000):
                model.predict(texts[i : i + 1000])
            batched.append(len(texts) / (time.perf_counter() - started))

    print(f"machine: {_machine()}")
    print(f"corpus: {len(texts)} statements, mean {sum(len(t) for t in texts) / len(texts):.0f} characters")
    print("| measure | value |")
    print("|---|---|")
    print(f"| training time ({len(CANDIDATES)} candidates x 3 repeats x 5 folds + final fit, {args.jobs} jobs) | "
          f"{training_seconds:.1f} s |")
    print(f"| model directory on disk | {size / 1e6:.2f} MB |")
    print(f"| prediction, one quote per call | {max(single):,.0f} quotes/s |")
    print(f"| prediction, batches of 1,000 | {max(batched):,.0f} quotes/s |")


if __name__ == "__main__":
    main()
