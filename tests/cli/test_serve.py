"""`stance serve` as a user runs it: options, and one-line errors before any server starts."""

import subprocess
import sys
from pathlib import Path

STANCE = str(Path(sys.executable).with_name("stance"))


def stance(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STANCE_")} | (env or {})
    return subprocess.run([STANCE, *args], capture_output=True, text=True, timeout=60, env=full_env)


def test_help_lists_the_options():
    result = stance("serve", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--workers", "--model"):
        assert option in result.stdout


def test_a_missing_model_is_a_one_line_error(tmp_path):
    result = stance("serve", "--model", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("stance serve: error:") and "no such model directory" in result.stderr


def test_a_bad_setting_is_a_one_line_error():
    result = stance("serve", env={"STANCE_MAX_BATCH": "lots"})
    assert result.returncode == 1
    assert result.stderr.strip() == "stance serve: error: STANCE_MAX_BATCH='lots' is not a whole number"
