"""`stance score` as users run it: a real subprocess on real files."""

import csv
import gzip
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

STANCE = shutil.which("stance") or str(Path(sys.executable).with_name("stance"))


def stance(*args, stdin: bytes | None = None):
    return subprocess.run([STANCE, "score", *map(str, args)], input=stdin, capture_output=True, timeout=120)


@pytest.fixture
def quotes(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,"We will sue, and win."\n2,\n3,"Comply with the law\nnow"\n', encoding="utf-8")
    return path


def test_scores_a_file_and_prints_a_summary(tmp_path, quotes):
    result = stance(quotes, "--output", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert f"{quotes}:3: blank text; row kept unscored" in err
    assert "3 rows read, 2 scored, 1 left unscored" in err and "rows/s" in err
    rows = list(csv.reader(open(tmp_path / "out.csv", newline="", encoding="utf-8")))
    assert rows[0] == ["id", "text", "stance", "confidence", "prob_support", "prob_oppose", "prob_neutral"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"] and rows[2][2:] == [""] * 5
    assert "\x1b" not in err and "\r" not in err  # no progress bar when stderr is not a terminal


def test_stdin_to_stdout_and_quiet(quotes):
    result = stance("-", "--output", "-", "--quiet", stdin=quotes.read_bytes())
    assert result.returncode == 0
    rows = list(csv.reader(io.StringIO(result.stdout.decode())))
    assert len(rows) == 4 and rows[3][1] == "Comply with the law\nnow"
    assert "rows read" not in result.stderr.decode()  # --quiet: no summary, bad rows still reported
    assert ":3: blank text" in result.stderr.decode()


def test_gzip_output_by_extension(tmp_path, quotes):
    assert stance(quotes, "--output", tmp_path / "out.csv.gz", "--jobs", "2").returncode == 0
    with gzip.open(tmp_path / "out.csv.gz", "rt", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 4


def test_strict_exits_non_zero_without_output(tmp_path, quotes):
    result = stance(quotes, "--output", tmp_path / "out.csv", "--strict")
    assert result.returncode == 1
    assert result.stderr.decode().strip().endswith("blank text (--strict stops at the first bad row)")
    assert not (tmp_path / "out.csv").exists()
    assert not [p for p in os.listdir(tmp_path) if "partial" in p]


@pytest.mark.parametrize("content, words", [
    (b"", "empty file"),
    (b"id,quote\n1,x\n", "no column 'text'"),
    (bytes(range(256)) * 4, "not CSV text"),
])
def test_whole_file_errors_are_one_line(tmp_path, content, words):
    (tmp_path / "in.csv").write_bytes(content)
    result = stance(tmp_path / "in.csv", "--output", tmp_path / "out.csv")
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1
    assert lines[0].startswith("stance score: error:") and words in lines[0]
    assert not (tmp_path / "out.csv").exists()


def test_missing_input_file(tmp_path):
    result = stance(tmp_path / "nope.csv", "--output", tmp_path / "out.csv")
    assert result.returncode == 1 and "nope.csv" in result.stderr.decode()


def test_the_command_line_does_not_import_scikit_learn():
    # `stance score`'s memory budget (README, bench) depends on it: scikit-learn costs ~190 MB.
    code = "import sys, quote_stance.cli.main; print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'nltk'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_model_of_another_shape_scores_as_the_model_predicts(tmp_path, small_labeled_csv):
    """Batch workers score any model shape through the model itself (here: a model with target features)."""
    from quote_stance.model.features import FeatureConfig
    from quote_stance.model.predictor import load_model
    from quote_stance.training.train import train_model

    model_dir = tmp_path / "targets-model"
    train_model([small_labeled_csv], model_dir, folds=3, candidates=(FeatureConfig(char_ngrams=None, targets=True),))
    model = load_model(model_dir)
    texts = [f"Quote {i}: the administration's reckless order hurts our safe city" if i % 2 else
             f"Quote {i}: sanctuary cities shield criminal aliens" for i in range(30)]
    source = tmp_path / "in.csv"
    source.write_text("id,text\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(texts)), encoding="utf-8")
    result = stance(source, "--output", tmp_path / "out.csv", "--model", model_dir, "--jobs", "2", "--chunk-rows", "4")
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["stance"] for row in rows] == [p.stance for p in model.predict(texts)]
