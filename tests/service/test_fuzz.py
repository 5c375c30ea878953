"""Schemathesis against the service's own OpenAPI schema, through a real uvicorn on loopback.

Every operation of the schema gets its examples, schemathesis' coverage cases (boundaries,
missing and mistyped fields) and a bounded number of generated bodies, valid and invalid, with
every check schemathesis has: no 5xx, a documented status, a body and headers that match the
schema (error bodies included), invalid data refused, valid data accepted, and the key
actually required (each case is replayed without it). The server runs with API keys set, on
a copy of the shipped model (the reload route reloads it).
"""

import os
import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.service.conftest import API_KEYS, LiveServer, start_server, stop_server

# Generated bodies per operation, on top of the examples and coverage cases. With 7 operations
# the whole module takes about a minute on 2 cores.
FUZZ_EXAMPLES = int(os.environ.get("STANCE_FUZZ_EXAMPLES", "100"))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory) -> Iterator[LiveServer]:
    from model.artifacts import default_model_dir

    root = tmp_path_factory.mktemp("fuzz")
    model_dir = root / "model"
    shutil.copytree(default_model_dir(), model_dir)
    server = start_server(root / "server.log", {"STANCE_API_KEYS": ",".join(API_KEYS)}, model_dir)
    yield server
    stop_server(server)


def served_schema() -> dict:
    """The schema of an app with the server's settings, built in process (no model is loaded)."""
    from service.app import create_app
    from service.settings import Settings

    return create_app(Settings(api_keys=API_KEYS)).openapi()


# Loaded at collection, so that each operation is a test of its own; the test below checks
# that the live server serves this very schema. (schemathesis' fixture-based loader does not
# work with pytest 9.)
schema = schemathesis.openapi.from_dict(served_schema())
schema.config.update(request_timeout=60)
# The same cases on every run, so that CI is repeatable; STANCE_FUZZ_SEED=N explores others.
schema.config.seed = int(os.environ.get("STANCE_FUZZ_SEED", "20261127"))
# A body over STANCE_MAX_BODY_BYTES is refused with 413 before it is parsed: a rejection too.
rejection = schema.config.checks.negative_data_rejection
rejection.expected_statuses = [*rejection.expected_statuses, "413"]


def test_the_server_serves_the_schema_under_test(fuzz_server: LiveServer):
    import httpx

    assert httpx.get(f"{fuzz_server.base_url}/openapi.json").json() == served_schema()


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_schema(case, fuzz_server: LiveServer):
    case.call_and_validate(base_url=fuzz_server.base_url, headers={"X-API-Key": API_KEYS[0]})


def test_no_server_error_was_logged(fuzz_server: LiveServer):
    # Runs after the fuzzing above (same module, same server): nothing reached the last resort.
    log = fuzz_server.log_path.read_text(encoding="utf-8", errors="replace")
    assert '"status": 500' not in log
    assert "unexpected error" not in log and "Traceback" not in log
    for key in API_KEYS:
        assert key not in log
