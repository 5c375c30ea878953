"""The corpus in data/: provenance, balance, and no leak of the dev file into training."""

import csv
import re
from collections import Counter
from pathlib import Path

from quote_stance.data import corpus_paths
from quote_stance.model.labels import LABELS

PROVENANCE_COLUMNS = ("text", "label", "speaker", "speaker_role", "outlet", "date", "url", "notes", "source")


def _rows() -> list[dict]:
    rows = []
    for path in corpus_paths():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                row["_file"] = path.name
                rows.append(row)
    return rows


ROWS = _rows()
AUTHORED = [r for r in ROWS if r["source"] == "authored"]


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'")))


def test_every_file_keeps_the_provenance_columns():
    for path in corpus_paths():
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert tuple(header[: len(PROVENANCE_COLUMNS)]) == PROVENANCE_COLUMNS, path.name


def test_every_row_has_a_known_label_and_a_source():
    assert {r["label"] for r in ROWS} <= set(LABELS)
    assert all(r["source"] == "authored" or r["source"].startswith("news:") for r in ROWS)


def test_no_exact_duplicates_in_data():
    normalised = Counter(" ".join(r["text"].lower().split()) for r in ROWS)
    duplicates = [text for text, count in normalised.items() if count > 1]
    assert duplicates == []


def test_authored_statements_name_no_speaker_and_meet_the_brief():
    assert len(AUTHORED) >= 1500
    assert all(r["speaker"] == "" for r in AUTHORED), "authored statements must not name a speaker"
    assert all(r["speaker_role"].strip() for r in AUTHORED)
    lengths = [len(r["text"].split()) for r in AUTHORED]
    assert min(lengths) >= 5 and max(lengths) <= 80


def test_authored_labels_are_balanced_within_ten_points():
    counts = Counter(r["label"] for r in AUTHORED)
    shares = [counts[label] / len(AUTHORED) for label in LABELS]
    assert max(shares) - min(shares) <= 0.10, counts


def test_news_rows_are_the_shared_training_file_with_provenance():
    news = [r for r in ROWS if r["source"].startswith("news:")]
    assert len(news) >= 600
    assert all(r["url"].startswith("http") and r["speaker"] and r["outlet"] for r in news)


def test_no_statement_in_data_is_a_near_duplicate_of_a_dev_quote(shared_dir: Path):
    with open(shared_dir / "data" / "quotes_dev.csv", encoding="utf-8-sig", newline="") as handle:
        dev = [_words(r["text"]) for r in csv.DictReader(handle)]
    leaks = []
    for row in ROWS:
        words = _words(row["text"])
        for dev_words in dev:
            union = words | dev_words
            if union and len(words & dev_words) / len(union) >= 0.6:
                leaks.append((row["_file"], row["text"][:80]))
    assert leaks == []

