"""`pip install .` into a fresh virtualenv: one package in site-packages, and it works from any folder.

The project is installed for real (a wheel built by pip, build isolation and all) with
`--no-deps`; its dependencies, already installed for this test run, are made visible to the new
environment by a `.pth` file rather than downloaded again. Skips, saying why, when pip cannot
fetch the build backend (no package index reachable).
"""

import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _site_packages(environment: Path) -> Path:
    found = sorted(environment.glob("lib/python*/site-packages"))
    assert found, f"no site-packages in {environment}"
    return found[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, set[str]]:
    """A fresh virtualenv with the project installed; and what the install added to site-packages."""
    scratch = tmp_path_factory.mktemp("install")
    # A clean copy of the tree: setuptools builds in the source folder, and a stale build/ there
    # could put removed modules in the wheel.
    source = scratch / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    environment = scratch / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    packages = _site_packages(environment)
    before = {p.name for p in packages.iterdir()}
    run = subprocess.run(
        [str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", str(source)],
        capture_output=True, text=True, timeout=600,
    )
    if run.returncode != 0:
        reason = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "pip failed"
        if any(word in run.stderr for word in ("No matching distribution", "Could not find a version", "connection")):
            pytest.skip(f"pip cannot fetch the build backend (no package index reachable): {reason}")
        pytest.fail(f"pip install . failed: {run.stderr[-2000:]}")
    added = {p.name for p in packages.iterdir()} - before
    # The dependencies of this test run, for the new environment (not the project's own tree).
    ours = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    (packages / "test-run-dependencies.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")
    return environment, added


def test_only_quote_stance_and_its_dist_info_are_added(installed):
    _environment, added = installed
    assert "quote_stance" in added
    assert {name for name in added if name != "quote_stance"} == {
        name for name in added if name.startswith("quote_stance-") and name.endswith(".dist-info")
    }
    assert len(added) == 2, added
    for generic in ("model", "data", "cli", "service", "batch", "training", "quotes", "store"):
        assert generic not in added


@pytest.fixture
def crowded_folder(tmp_path: Path) -> Path:
    """A working directory with a `model.py` and a `data/` package of its own, as a user's project may have."""
    folder = tmp_path / "work"
    (folder / "data").mkdir(parents=True)
    (folder / "model.py").write_text("raise ImportError('the user\\'s own model.py was imported')\n")
    (folder / "data" / "__init__.py").write_text("raise ImportError('the user\\'s own data package was imported')\n")
    (folder / "quotes.csv").write_text("id,text\n1,We will see them in court.\n2,The department is reviewing the guidance.\n")
    return folder


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_stance_score_works_from_a_folder_with_its_own_model_and_data(installed, crowded_folder: Path, how: str):
    environment, _added = installed
    # `python -m` puts the working directory first on sys.path: a top-level `model` would be the user's.
    command = ([str(environment / "bin" / "stance")] if how == "console script"
               else [str(environment / "bin" / "python"), "-m", "quote_stance.cli"])
    run = subprocess.run(
        [*command, "score", "quotes.csv", "--output", "scored.csv", "--quiet"],
        cwd=crowded_folder, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = (crowded_folder / "scored.csv").read_text().splitlines()
    assert lines[0] == "id,text,stance,confidence,prob_support,prob_oppose,prob_neutral"
    assert len(lines) == 3 and all(line.split(",")[2] in ("support", "oppose", "neutral") for line in lines[1:])


def test_the_python_api_of_the_contract(installed, crowded_folder: Path):
    environment, _added = installed
    script = (
        "import quote_stance, sys\n"
        "from quote_stance import load_model\n"
        "model = load_model()\n"
        "p = model.predict_proba(['We will see them in court.', 'Sanctuary cities break the law.'],"
        " speakers=['Jane Doe', None], roles=['city attorney', ''])\n"
        "assert p.shape == (2, 3), p.shape\n"
        "assert abs(p.sum(axis=1) - 1).max() < 1e-6\n"
        "assert tuple(model.labels) == ('support', 'oppose', 'neutral') and model.version\n"
        "print(quote_stance.__file__)\n"
    )
    run = subprocess.run([str(environment / "bin" / "python"), "-c", script], cwd=crowded_folder,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).is_relative_to(_site_packages(environment))  # the installed copy, not the tree
