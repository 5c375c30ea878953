"""The `speaker` and `speaker_role` columns in `stance score` and `stance evaluate`, and `--no-context`."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quote_stance.model.context import CONTEXT_LIMIT

STANCE = shutil.which("stance") or str(Path(sys.executable).with_name("stance"))
QUOTE = "We will follow the law and keep working with our partners."


def run(*args):
    return subprocess.run([STANCE, *map(str, args)], capture_output=True, timeout=180)


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def with_context(tmp_path) -> Path:
    path = tmp_path / "context.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "speaker", "text", "speaker_role"])
        writer.writerow(["1", "Jane Roe", QUOTE, "U.S. Attorney General"])
        writer.writerow(["2", "", QUOTE, ""])
        writer.writerow(["3", "Jane Roe", QUOTE, "r" * (CONTEXT_LIMIT + 1)])
        writer.writerow(["4", "", QUOTE, "Mayor of a sanctuary city"])
    return path


def test_score_reads_the_context_columns_and_reports_a_role_over_the_limit(tmp_path, with_context, default_model):
    result = run("score", with_context, "--output", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    assert f"{with_context}:4: speaker_role is {CONTEXT_LIMIT + 1} characters; the limit is {CONTEXT_LIMIT}" in result.stderr.decode()
    rows = read(tmp_path / "out.csv")
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[2]["stance"] == ""  # kept, unscored
    expected = default_model.predict_proba([QUOTE] * 3, ["Jane Roe", "", ""], ["U.S. Attorney General", "", "Mayor of a sanctuary city"])
    for row, probs in zip([rows[0], rows[1], rows[3]], expected):
        assert float(row["prob_support"]) == pytest.approx(probs[0], abs=1e-4)
        assert float(row["prob_oppose"]) == pytest.approx(probs[1], abs=1e-4)


def test_no_context_scores_as_a_file_without_the_columns(tmp_path, with_context):
    ignored = run("score", with_context, "--output", tmp_path / "ignored.csv", "--no-context")
    assert ignored.returncode == 0, ignored.stderr
    assert b"speaker_role is" not in ignored.stderr
    bare = tmp_path / "bare.csv"
    bare.write_text(f'id,text\n1,"{QUOTE}"\n', encoding="utf-8")
    assert run("score", bare, "--output", tmp_path / "bare-out.csv").returncode == 0
    scored = read(tmp_path / "ignored.csv")
    plain = read(tmp_path / "bare-out.csv")[0]
    assert all(row["prob_support"] == plain["prob_support"] for row in scored)


def test_evaluate_with_and_without_context(tmp_path):
    path = tmp_path / "labeled.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "speaker", "speaker_role"])
        writer.writerow(["We will see them in court.", "oppose", "Jane Roe", "Mayor of a sanctuary city"])
        writer.writerow(["Cities must comply with federal law.", "support", "", "U.S. Attorney General"])
        writer.writerow(["The hearing is scheduled for Tuesday.", "neutral", "", ""])
    with_context = run("evaluate", path, "--json")
    without = run("evaluate", path, "--json", "--no-context")
    assert with_context.returncode == 0 and without.returncode == 0, (with_context.stderr, without.stderr)
    assert json.loads(with_context.stdout)["n"] == json.loads(without.stdout)["n"] == 3


def test_training_refuses_a_role_over_the_limit_naming_its_line(tmp_path):
    path = tmp_path / "labeled.csv"
    path.write_text(f"text,label,speaker_role\nWe will sue.,oppose,{'r' * (CONTEXT_LIMIT + 1)}\n", encoding="utf-8")
    result = run("train", "--data", path, "--output", tmp_path / "model")
    assert result.returncode != 0
    assert f"{path}:2: speaker_role is {CONTEXT_LIMIT + 1} characters" in result.stderr.decode()
