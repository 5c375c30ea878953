"""`stance score --model DIR` with a model file naming an untrusted type: exit 1, one line on stderr, no output."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.model.untrusted_model import named_type, write_untrusted_model


@pytest.mark.parametrize("function", ["os.system", "builtins.eval"])
def test_score_refuses_an_untrusted_model_in_one_line(tmp_path: Path, function: str):
    model_dir = write_untrusted_model(tmp_path / "untrusted", function)
    source = tmp_path / "in.csv"
    source.write_text("text\nWe will see them in court.\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    run = subprocess.run(
        [sys.executable, "-m", "quote_stance.cli", "score", str(source), "--output", str(output), "--model", str(model_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "not trusted" in lines[0] and named_type(function) in lines[0]
    assert not output.exists()
