"""`stance extract` run as a real subprocess on real files."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

ARTICLE = (
    "PORT ALDER, Ore. (Wire) \u2014 The city will go to court over the new grant rules.\n\n"
    "Mayor Dana Whitcombe said the city would not hand over its jail records. "
    "\u201cWe will not trade the trust of our neighbors for a grant check,\u201d Whitcombe said.\n\n"
    "\u201cThe rules are unlawful and we will say so before a judge,\u201d said City Attorney Raymond Okafor.\n\n"
    "The debate over \u201cwelcoming city\u201d status has divided the welcoming city council.\n"
)
QUOTE_FIELDS = {"quote", "speaker", "speaker_role", "start", "end", "stance", "confidence", "probabilities", "speaker_full", "cue"}


def stance(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("stance")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "quote_stance.cli"]
    return subprocess.run(
        command + list(args), input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120
    )


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_output_has_the_fields_of_v1_extract(article):
    result = stance("extract", str(article))
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert isinstance(body["model_version"], str)
    quotes = body["quotes"]
    assert [q["speaker"] for q in quotes] == ["Whitcombe", "Raymond Okafor"]
    for q in quotes:
        assert set(q) == QUOTE_FIELDS
        assert ARTICLE[q["start"]:q["end"]] == q["quote"]
        assert q["stance"] in ("support", "oppose", "neutral")
        assert set(q["probabilities"]) == {"support", "oppose", "neutral"}
    assert quotes[0]["speaker_full"] == "Dana Whitcombe" and quotes[0]["cue"] == "say"


def test_standard_input_and_csv_format(article):
    result = stance("extract", "-", "--format", "csv", stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [row["speaker"] for row in rows] == ["Whitcombe", "Raymond Okafor"]
    assert list(rows[0]) == ["quote", "speaker", "speaker_role", "speaker_full", "cue", "start", "end", "stance", "confidence", "prob_support", "prob_oppose", "prob_neutral"]
    assert ARTICLE[int(rows[1]["start"]):int(rows[1]["end"])] == rows[1]["quote"]


def test_output_file(article, tmp_path):
    target = tmp_path / "out" / "quotes.json"
    result = stance("extract", str(article), "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))["quotes"]) == 2


def test_batch_from_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_text(
        json.dumps({"id": "port-alder", "text": ARTICLE}) + "\n"
        + "{not json\n"
        + json.dumps({"text": "No one was quoted here."}) + "\n"
        + json.dumps({"id": 7}) + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "quotes.csv"
    result = stance("extract", "--batch", str(source), "--output", str(target))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [(row["article"], row["speaker"]) for row in rows] == [("port-alder", "Whitcombe"), ("port-alder", "Raymond Okafor")]
    assert f"{source}:2: not JSON" in result.stderr
    assert f"{source}:4: expected an object with a string 'text'" in result.stderr
    assert "4 articles read, 2 searched, 2 skipped, 2 quotes" in result.stderr


def test_batch_from_a_folder_names_each_file(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a.txt").write_text("\u201cWe are ready for a long fight,\u201d Okafor told reporters.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    target = tmp_path / "quotes.csv"
    result = stance("extract", "--batch", str(folder), "--output", str(target))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [row["article"] for row in rows] == ["a.txt", "b.txt", "b.txt"]
    assert rows[0]["cue"] == "tell"


@pytest.mark.parametrize(
    "args, message",
    [
        (["extract", "missing.txt"], "missing.txt: no such file"),
        (["extract"], "no article given"),
        (["extract", "--batch", "missing.jsonl", "--output", "x.csv"], "missing.jsonl: no such file or folder"),
        (["extract", "--batch", "missing.jsonl"], "--batch needs --output"),
        (["extract", "--batch", "in.jsonl", "--output", "x.csv", "--format", "json"], "--batch writes CSV"),
        (["extract", "a.txt", "--batch", "in.jsonl", "--output", "x.csv"], "either ARTICLE or --batch"),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(args, message, tmp_path):
    result = stance(*args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance extract: error:") and message in lines[0]


def test_empty_and_binary_articles_are_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = stance("extract", str(empty))
    assert result.returncode == 1 and "empty article" in result.stderr
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = stance("extract", str(binary))
    assert result.returncode == 1 and "not UTF-8 text" in result.stderr
