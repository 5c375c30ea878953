"""Speed of the quote finder: articles per second on one core, on ~2,000-character articles.

Two article sets: the team's gold excerpts (../shared/data/articles_dev.jsonl, read at run time,
about 2,000 characters each; skipped when absent) and articles built here from the project's
own quote corpus (data/quotes_news.csv: paragraphs of attributed quotes and plain sentences,
cut to 2,000 characters). For each: `find_quotes` alone (quotes and speakers), then
`extract_quotes` with the default model (one stance batch per article, as the service runs),
then `extract_quotes_many` on 100 articles at a time (one stance batch, as `stance extract
--batch` runs). The process is
pinned to one core and numerical libraries to one thread; each figure is the best of
`--repeats` timed passes of at least `--seconds` each.

    python bench/extract_speed.py [--seconds 2] [--repeats 3]
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quote_stance.model.predictor import load_model  # noqa: E402
from quote_stance.quotes.finder import extract_quotes, extract_quotes_many, find_quotes  # noqa: E402

SHARED_ARTICLES = ROOT.parent / "shared" / "data" / "articles_dev.jsonl"
CORPUS = ROOT / "data" / "quotes_news.csv"
ARTICLE_CHARS = 2000
FIRST = ["Dana", "Raymond", "Marisol", "Tomas", "Anita", "Felix", "Paula", "Ingrid", "Walter", "Rhea"]
LAST = ["Whitcombe", "Okafor", "Quintero", "Eldridge", "Brandt", "Moreau", "Renner", "Saltonstall", "Fenn", "Castellano"]
TITLES = ["Mayor", "Sheriff", "City Attorney", "Gov.", "Councilwoman", "State Sen.", "County Executive"]
FILLER = [
    "The council met on Tuesday to discuss the grant conditions.",
    "The county has 30 days to answer the letter from the Justice Department.",
    "A hearing is scheduled for next month in federal court.",
    "About 40 people spoke during the public comment period.",
]


def shared_articles() -> list[str]:
    if not SHARED_ARTICLES.is_file():
        return []
    with open(SHARED_ARTICLES, encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def built_articles(count: int = 50, seed: int = 0) -> list[str]:
    """Articles of about 2,000 characters made from the corpus quotes and invented speakers."""
    with open(CORPUS, encoding="utf-8-sig", newline="") as handle:
        quotes = [row["text"].strip().strip("\"\u201c\u201d") for row in csv.DictReader(handle) if row["text"].strip()]
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        paragraphs: list[str] = []
        while sum(len(p) + 2 for p in paragraphs) < ARTICLE_CHARS:
            k = rng.randrange(len(FIRST))
            first, last, title = FIRST[k], LAST[k], rng.choice(TITLES)
            shape = rng.randrange(4)
            quote = rng.choice(quotes).rstrip(".")
            if shape == 0:
                paragraphs.append(f"\u201c{quote},\u201d {last} said.")
            elif shape == 1:
                paragraphs.append(f"{title} {first} {last} said: \u201c{quote}.\u201d")
            elif shape == 2:
                paragraphs.append(f"{rng.choice(FILLER)} \u201c{quote},\u201d he told reporters.")
            else:
                paragraphs.append(rng.choice(FILLER))
        articles.append("\n\n".join(paragraphs)[:ARTICLE_CHARS])
    return articles


def best_rate(one_pass: Callable[[], object], per_pass: int, seconds: float, repeats: int) -> float:
    """Best articles/s over `repeats` runs of at least `seconds` each, `one_pass` doing
    `per_pass` articles."""
    best = 0.0
    for _ in range(repeats):
        done = 0
        start = time.perf_counter()
        while True:
            one_pass()
            done += per_pass
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        best = max(best, done / elapsed)
    return best


def rate(function: Callable[[str], object], articles: list[str], seconds: float, repeats: int) -> float:
    """Best articles/s of `function` called on one article at a time."""
    def one_pass() -> None:
        for article in articles:
            function(article)

    return best_rate(one_pass, len(articles), seconds, repeats)


def batch_rate(model, articles: list[str], seconds: float, repeats: int, size: int = 100) -> float:
    """Best articles/s of `extract_quotes_many` on batches of `size` articles (as `--batch` runs)."""
    batch = (articles * (size // len(articles) + 1))[:size]
    return best_rate(lambda: extract_quotes_many(batch, model), len(batch), seconds, repeats)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum length of one timed pass")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per figure (the best is kept)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    model = load_model()
    sets = [("shared dev excerpts", shared_articles()), ("built from data/quotes_news.csv", built_articles())]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (1 used), Python {platform.python_version()}")
    print()
    print("| articles | n | mean chars | quotes/article | find_quotes articles/s | extract_quotes articles/s | extract_quotes_many (100) articles/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, articles in sets:
        if not articles:
            print(f"| {name} | 0 | - | - | (absent) | (absent) | (absent) |")
            continue
        for article in articles:  # warm caches and the model
            extract_quotes(article, model)
        mean_chars = sum(map(len, articles)) / len(articles)
        per_article = sum(len(find_quotes(a)) for a in articles) / len(articles)
        found = rate(find_quotes, articles, args.seconds, args.repeats)
        scored = rate(lambda text: extract_quotes(text, model), articles, args.seconds, args.repeats)
        batched = batch_rate(model, articles, args.seconds, args.repeats)
        print(f"| {name} | {len(articles)} | {mean_chars:,.0f} | {per_article:.1f} | {found:,.0f} | {scored:,.0f} | {batched:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
