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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service.conftest import API_KEYS, LiveServer, start_server, stop_server

# Generated bodies per operation, on top of the examples and coverage cases. With 7 operations
# the whole module takes about a minute on 2 cores.
FUZZ_EXAMPLES = int(os.environ.get("STANCE_FUZZ_EXAMPLES", "100"))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory) -> Iterator[LiveServer]:
    from quote_stance.model.artifacts import default_model_dir

    root = tmp_path_factory.mktemp("fuzz")
    model_dir = root / "model"
    shutil.copytree(default_model_dir(), model_dir)
    server = start_server(root / "server.log", {"STANCE_API_KEYS": ",".join(API_KEYS)}, model_dir)
    yield server
    stop_server(server)


def served_schema() -> dict:
    """The schema of an app with the server's settings, built in process (no model is loaded)."""
    from quote_stance.service.app import create_app
    from quote_stance.service.settings import Settings

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


# --- any JSON value, any bytes ------------------------------------------------------------------
# Every code point, lone surrogates included: json.dumps escapes them ("\ud800"), as a browser does.
any_text = st.text(st.characters(codec=None, categories=None), max_size=60) | st.sampled_from(
    ["", " ", "\u2028", "\ufeff", "\x00", "We will sue.", "\ud83d", '"We will sue," Roe said.'])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | any_text,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["text", "items", "id", "explain"]) | any_text, children, max_size=4),
    max_leaves=20,
)
# Bodies shaped like the real ones, with any values inside, so that many reach the model.
shaped = (
    st.fixed_dictionaries({"text": any_text}, optional={"explain": json_values})
    | st.fixed_dictionaries({"items": st.lists(st.fixed_dictionaries({"text": any_text}, optional={"id": json_values}),
                                               max_size=4)})
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=json_values | shaped, path=st.sampled_from(["/v1/score", "/v1/score/batch", "/v1/extract"]))
def test_any_json_value_gets_200_or_a_4xx_with_a_json_error(fuzz_server: LiveServer, body, path):
    import json

    import httpx

    content = json.dumps(body)  # ensure_ascii: lone surrogates travel as escapes
    answer = httpx.post(f"{fuzz_server.base_url}{path}", content=content,
                        headers={"Content-Type": "application/json", "X-API-Key": API_KEYS[0]}, timeout=60)
    assert answer.status_code == 200 or 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    reply = answer.json()
    if answer.status_code != 200:
        assert set(reply) <= {"error", "message", "details"} and reply["error"] and reply["message"]
        assert "\n" not in reply["message"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=300), path=st.sampled_from(["/v1/score", "/v1/score/batch", "/v1/extract"]))
def test_any_bytes_get_a_4xx_with_a_json_error(fuzz_server: LiveServer, content, path):
    import httpx

    answer = httpx.post(f"{fuzz_server.base_url}{path}", content=content,
                        headers={"Content-Type": "application/json", "X-API-Key": API_KEYS[0]}, timeout=60)
    assert 200 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.json()


def test_no_server_error_was_logged(fuzz_server: LiveServer):
    # Runs after the fuzzing above (same module, same server): nothing reached the last resort.
    log = fuzz_server.log_path.read_text(encoding="utf-8", errors="replace")
    assert '"status": 500' not in log
    assert "unexpected error" not in log and "Traceback" not in log
    for key in API_KEYS:
        assert key not in log
