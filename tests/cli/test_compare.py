"""`stance compare`: two models side by side on one labeled CSV; a worse candidate is refused."""

import csv
import subprocess
from pathlib import Path

import pytest

from quote_stance.model.features import FeatureConfig
from quote_stance.training.train import train_model

FLIP = {"support": "oppose", "oppose": "support", "neutral": "neutral"}


def run(command: list[str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def held_out_csv(tmp_path_factory, small_labeled_csv) -> Path:
    """150 news quotes the small training file does not have."""
    from quote_stance.data import corpus_paths

    with open(small_labeled_csv, encoding="utf-8", newline="") as handle:
        known = {row["text"] for row in csv.DictReader(handle)}
    news = next(p for p in corpus_paths() if p.name == "quotes_news.csv")
    with open(news, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["text"] not in known][:150]
        fields = reader.fieldnames
    path = tmp_path_factory.mktemp("held-out") / "held_out.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_candidate_trained_on_flipped_labels_is_refused(stance_command, tmp_path, small_labeled_csv,
                                                          small_model_dir, held_out_csv):
    with open(small_labeled_csv, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row | {"label": FLIP[row["label"]]} for row in reader]
        fields = reader.fieldnames
    flipped = tmp_path / "flipped.csv"
    with open(flipped, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    candidate = tmp_path / "candidate"
    train_model([flipped], candidate, folds=3, repeats=1, candidates=(FeatureConfig(char_ngrams=None, cues=True),))

    result = run(stance_command, "compare", str(candidate), "--baseline", str(small_model_dir), "--data", str(held_out_csv))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{held_out_csv}: 150 labeled quotes"
    assert lines[1].startswith(f"baseline:  {small_model_dir} (") and lines[2].startswith(f"candidate: {candidate} (")
    assert lines[3].split() == ["baseline", "candidate", "change"]
    assert [line.split()[0] for line in lines[4:7]] == ["macro-F1", "accuracy", "ECE"]
    for label in ("support", "oppose", "neutral"):
        assert any(line.startswith(f"F1 {label}") for line in lines)
    macro = next(line for line in lines if line.startswith("macro-F1")).split()
    assert float(macro[1]) - float(macro[2]) > 0.01
    assert lines[-1].startswith("refused: the candidate's macro-F1 is")


def test_the_same_model_is_accepted_and_the_margin_is_checked(stance_command, small_model_dir, held_out_csv):
    result = run(stance_command, "compare", str(small_model_dir), "--baseline", str(small_model_dir),
                 "--data", str(held_out_csv), "--margin", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "+0.000" in result.stdout and result.stdout.splitlines()[-1].startswith("accepted")
    bad = run(stance_command, "compare", str(small_model_dir), "--data", str(held_out_csv), "--margin", "2")
    assert bad.returncode == 2 and "outside 0..1" in bad.stderr


def test_a_missing_data_file_or_model_fails_in_one_line(stance_command, tmp_path, small_model_dir, held_out_csv):
    missing = run(stance_command, "compare", str(small_model_dir), "--data", str(tmp_path / "none.csv"))
    assert missing.returncode == 1 and "none.csv: no such file" in missing.stderr
    no_model = run(stance_command, "compare", str(tmp_path / "no-model"), "--data", str(held_out_csv))
    assert no_model.returncode == 1 and len(no_model.stderr.strip().splitlines()) == 1
