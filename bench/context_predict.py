"""Prediction time of a model with and without speaker context: one quote, and 1,000 at once.

Usage: python -m bench.context_predict [--model DIR] [--repeat 200]
Times `predict_proba` on quotes of the shipped news corpus, with their `speaker` and
`speaker_role` and with none; the best of the repeats is reported (the least disturbed run).
A model trained before speaker context ignores the context, so both rows time the words alone.
"""

import argparse
import time

from quote_stance.data import corpus_paths
from quote_stance.model.predictor import load_model
from quote_stance.training.corpus import load_corpus


def best_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument("--repeat", type=int, default=200, help="calls of one quote; a tenth of it for 1,000")
    args = parser.parse_args()
    corpus = load_corpus([p for p in corpus_paths() if p.name == "quotes_news.csv"])
    model = load_model(args.model)
    texts, speakers, roles = (values[:1000] for values in (corpus.texts, corpus.speakers, corpus.roles))
    model.predict_proba(texts, speakers, roles)  # warm caches, as a running service has them
    rows = {
        "1 quote, with context": lambda: model.predict_proba(texts[:1], speakers[:1], roles[:1]),
        "1 quote, no context": lambda: model.predict_proba(texts[:1]),
        "1,000 quotes, with context": lambda: model.predict_proba(texts, speakers, roles),
        "1,000 quotes, no context": lambda: model.predict_proba(texts),
    }
    print(f"model {model.version} (context: {model.uses_context})")
    print("| call | best time |")
    print("|---|---|")
    for name, call in rows.items():
        repeat = args.repeat if name.startswith("1 quote") else max(3, args.repeat // 10)
        print(f"| `predict_proba`, {name} | {best_seconds(call, repeat) * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
