"""Bad files and altered models on the command line (cases in tests/cli/bad_inputs.py), and the
tables of them in docs/reliability.md, which must be what this run gives."""

import re

import pytest

from tests.cli import bad_inputs
from tests.conftest import PROJECT_ROOT

CASES = bad_inputs.cases()


@pytest.fixture(scope="module")
def outcomes() -> list[bad_inputs.Outcome]:
    return bad_inputs.run_all(CASES)


@pytest.fixture(scope="module")
def reloads() -> list[bad_inputs.ReloadOutcome]:
    return bad_inputs.run_reloads()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c.command} ({c.problem})" for c in CASES])
def test_a_bad_input_gets_one_line_naming_file_and_line_and_loses_nothing(outcomes, index):
    outcome = outcomes[index]
    case = outcome.case
    assert "Traceback" not in outcome.stderr, outcome.stderr
    name = re.escape(case.input)
    if case.fatal:
        assert outcome.returncode == 1, outcome.stderr
        assert len(outcome.lines) == 1, outcome.stderr
        line = outcome.lines[0]
        assert line.startswith(f"stance {case.args[0]}: error: "), line
        if case.input in ("model", "folder"):  # a directory has no lines: the message names it
            assert re.search(rf": {name}(/[\w.]+)?: ", line), line
        else:
            assert re.search(rf": {name}:\d+: ", line), line
        if case.output:
            assert outcome.written == "nothing", outcome.written
    else:
        assert outcome.returncode == 0, outcome.stderr
        reports = [line for line in outcome.lines if re.search(rf"(^|: ){name}:\d+: ", line)]
        assert bool(reports) == case.reported, outcome.stderr
        summary = [line for line in outcome.lines if line not in reports]
        assert len(summary) <= 1 and all(line.startswith(f"stance {case.args[0]}: ") for line in summary)
        assert outcome.count == case.rows, outcome.written  # one row per input row: nothing lost
        assert "stray" not in outcome.written


def test_an_altered_model_is_refused_on_reload_and_the_old_one_keeps_serving(reloads):
    assert len(reloads) == len(bad_inputs.MODEL_FAULTS)
    for outcome in reloads:
        assert outcome.status == 409, outcome
        assert outcome.message.startswith("the model was not replaced: model")
        assert outcome.serving_after == outcome.serving_before and outcome.scores_after == 200


def readme_table(header: tuple[str, str]) -> list[str]:
    readme = (PROJECT_ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- reliability:start -->"): readme.index("<!-- reliability:end -->")]
    lines = section.splitlines()
    start = lines.index(header[0])
    assert lines[start + 1] == header[1]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_readme_tables_are_this_run(outcomes, reloads):
    regenerate = "regenerate them with: python -m tests.cli.bad_inputs"
    assert readme_table(bad_inputs.TABLE_HEADER) == bad_inputs.table_rows(outcomes), regenerate
    assert readme_table(bad_inputs.RELOAD_HEADER) == bad_inputs.reload_rows(reloads), regenerate
