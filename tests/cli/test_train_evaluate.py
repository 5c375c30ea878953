"""`stance train` and `stance evaluate` as a user runs them: real files, real subprocesses."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from quote_stance.model.labels import LABELS


def run(command: list[str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_evaluate_json_reports_the_contract_fields(stance_command, small_labeled_csv: Path):
    result = run(stance_command, "evaluate", str(small_labeled_csv), "--json")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 120
    assert 0 <= metrics["accuracy"] <= 1 and 0 <= metrics["macro_f1"] <= 1
    assert set(metrics["per_class"]) == set(LABELS)
    assert set(metrics["per_class"]["oppose"]) == {"precision", "recall", "f1", "support"}
    assert sum(map(sum, metrics["confusion"]["matrix"])) == 120


def test_evaluate_text_report_shows_macro_f1_and_confusion(stance_command, small_labeled_csv: Path):
    result = run(stance_command, "evaluate", str(small_labeled_csv))
    assert result.returncode == 0, result.stderr
    assert "macro_f1=" in result.stdout and "confusion" in result.stdout


def test_train_writes_a_model_that_evaluate_can_use(stance_command, small_labeled_csv: Path, tmp_path: Path):
    output = tmp_path / "trained"
    result = run(stance_command, "train", "--data", str(small_labeled_csv), "--output", str(output), "--folds", "3")
    assert result.returncode == 0, result.stderr
    assert "macro_f1=" in result.stdout and "confusion" in result.stdout
    assert "candidate 1/" in result.stderr  # progress goes to stderr
    assert {"model.skops", "metadata.json", "MODEL_CARD.md", "MANIFEST.sha256"} <= {p.name for p in output.iterdir()}
    evaluated = run(stance_command, "evaluate", str(small_labeled_csv), "--model", str(output), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["model_version"] == json.loads((output / "metadata.json").read_text())["version"]


def test_missing_file_is_a_one_line_error(stance_command, tmp_path: Path):
    assert_one_line_error(run(stance_command, "evaluate", str(tmp_path / "absent.csv")), "absent.csv", "no such file")
    assert_one_line_error(
        run(stance_command, "train", "--data", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "m")),
        "absent.csv",
    )


@pytest.mark.parametrize(
    "content, fragments",
    [
        ("quote,label\nWe will sue,oppose\n", ["missing column 'text'"]),
        ("text,verdict\nWe will sue,oppose\n", ["missing column 'label'"]),
        ("text,label\nWe will sue,oppose\nComply now,agree\n", ["bad.csv:3", "unknown label 'agree'"]),
    ],
)
def test_bad_labeled_files_are_one_line_errors(stance_command, tmp_path: Path, content: str, fragments: list[str]):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert_one_line_error(run(stance_command, "evaluate", str(path)), *fragments)
    assert_one_line_error(run(stance_command, "train", "--data", str(path), "--output", str(tmp_path / "m")), *fragments)
    assert not (tmp_path / "m").exists()


def test_tampered_model_is_refused_at_the_command_line(stance_command, small_model_dir: Path,
                                                       small_labeled_csv: Path, tmp_path: Path):
    copy = tmp_path / "tampered"
    shutil.copytree(small_model_dir, copy)
    with open(copy / "model.skops", "ab") as handle:
        handle.write(b"\0")
    assert_one_line_error(
        run(stance_command, "evaluate", str(small_labeled_csv), "--model", str(copy)), "checksum does not match"
    )
