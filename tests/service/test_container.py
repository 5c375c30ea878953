"""The Dockerfile held against the tree: no Docker engine runs here, so check what it relies on.

CI also runs the Dockerfile's install steps in a fresh virtualenv (.ci/dockerfile_install.py).
"""

import fnmatch
import importlib.util
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quote_stance.cli.main import build_parser
from quote_stance.service.app import create_app
from quote_stance.service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _dockerfile_install():
    """.ci/dockerfile_install.py, whose Dockerfile parser CI uses too (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("dockerfile_install", ROOT / ".ci" / "dockerfile_install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped; and an
# exec-form or shell-form argument list as words.
_CI = _dockerfile_install()
instructions, exec_form = _CI.instructions, _CI.words


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last:]


def test_base_image_and_user():
    steps = instructions()
    assert [a.split()[0] for k, a in steps if k == "FROM"] and all(
        a.split()[0] == "python:3.11-slim" for k, a in steps if k == "FROM")
    final = final_stage()
    users = [args for keyword, args in final if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [k for k, _ in final].index("USER") < [k for k, _ in final].index("CMD")


def test_the_image_is_one_stage_and_needs_no_compiler():
    """Pure Python packages: one stage, no compiler installed, and the build checks that the
    installed package loads its shipped model from outside the source tree."""
    steps = instructions()
    assert [k for k, _ in steps].count("FROM") == 1
    runs = [a for k, a in steps if k == "RUN"]
    assert not any("gcc" in a or "apt-get install" in a for a in runs)
    assert any("cd /" in a and "quote_stance.load_model()" in a for a in runs)


def test_every_copy_source_exists_and_is_in_the_build_context():
    ignored = dockerignore()
    stages = [a.split()[2] for k, a in instructions() if k == "FROM" and len(a.split()) == 3]
    sources = []
    for keyword, args in instructions():
        if keyword == "COPY":
            words = shlex.split(args)
            if words[0].startswith("--from="):  # from an earlier stage, not from the tree
                assert words[0].partition("=")[2] in stages
                continue
            *srcs, _ = [a for a in words if not a.startswith("--")]
            sources += srcs
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: not in the tree"
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"COPY {source}: excluded by .dockerignore"


def test_the_install_copies_every_package_pyproject_lists():
    copied = set()
    for keyword, args in instructions():
        if keyword == "COPY" and not args.startswith("--from="):
            copied.update(Path(a).parts[0] for a in shlex.split(args)[:-1])
    project = pyproject()
    # Each subpackage of quote_stance lives in a folder of its own (pyproject's package-dir).
    folders = {Path(folder).parts[0] for folder in project["tool"]["setuptools"]["package-dir"].values()}
    assert folders | {"pyproject.toml", project["project"]["readme"]} <= copied
    assert any(k == "RUN" and re.search(r"pip (install|wheel)\b", a) and re.search(r"\s\.(\s|$)", a)
               for k, a in instructions())


def test_cmd_runs_an_installed_console_script_on_the_exposed_port():
    steps = dict((k, a) for k, a in instructions())
    command = exec_form(steps["CMD"])
    assert command[0] in pyproject()["project"]["scripts"]
    args = build_parser().parse_args(command[1:])
    assert args.command == "serve" and args.host == "0.0.0.0"
    assert str(args.port) == steps["EXPOSE"]


@pytest.fixture(scope="module")
def app_client():
    with TestClient(create_app(Settings(api_keys=("k",)))) as client:
        yield client


def test_healthcheck_asks_a_real_open_route(app_client):
    healthcheck = dict(instructions())["HEALTHCHECK"]
    url = re.search(r"https?://[^/'\"\s]+(/[^'\"\s]*)", healthcheck)
    assert url, healthcheck
    port = re.search(r"https?://[^:/]+:(\d+)", healthcheck).group(1)
    assert port == dict(instructions())["EXPOSE"]
    answer = app_client.get(url.group(1))  # no key: the health check must not need one
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}
