"""POST/GET /v1/corrections in process (fast): validation, keys, order, metrics, schema, a database down."""

import socket

import pytest
from fastapi.testclient import TestClient

from quote_stance.service.app import create_app
from quote_stance.service.routes.corrections import key_name
from quote_stance.service.settings import Settings

KEY = "newsroom-key-0123456789"
QUOTE = "We will not let Washington bully our city; we will see them in court."


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("corrections")


@pytest.fixture(scope="module")
def client(data_dir):
    # One app for the module (loading the model takes seconds); its store is the module's own.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STANCE_DATA_DIR", str(data_dir))
        with TestClient(create_app(Settings(api_keys=(KEY, "other-key-abcdefghij"), max_text_chars=500))) as client:
            client.headers["X-API-Key"] = KEY
            yield client


def newest(client, limit: int = 1000) -> list[dict]:
    return client.get("/v1/corrections", params={"limit": limit}).json()["corrections"]


def test_a_correction_is_stored_with_every_field_and_the_key_name_not_the_key(client, data_dir):
    body = {"text": QUOTE, "label": "oppose", "speaker": "Dana Whitfield", "speaker_role": "Mayor",
            "predicted": "neutral", "model_version": "stance-20261127", "note": "vows to sue"}
    answer = client.post("/v1/corrections", json=body)
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert {k: stored[k] for k in body} == body
    assert stored["id"] and stored["created_at"].endswith("+00:00")
    assert stored["key_name"] == key_name(KEY) and KEY not in stored["key_name"]
    assert KEY.encode() not in b"".join(path.read_bytes() for path in data_dir.glob("corrections.sqlite3*"))
    assert newest(client, 1) == [stored]


def test_the_list_is_newest_first_and_limited(client):
    ids = [client.post("/v1/corrections", json={"text": f"quote {i}", "label": "neutral"}).json()["id"] for i in range(5)]
    assert [c["id"] for c in newest(client)[:5]] == ids[::-1]
    assert [c["id"] for c in client.get("/v1/corrections", params={"limit": 2}).json()["corrections"]] == ids[:2:-1]
    for limit in ("0", "1001", "x"):
        answer = client.get("/v1/corrections", params={"limit": limit})
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"


@pytest.mark.parametrize("body, problem", [
    ({"text": QUOTE, "label": "maybe"}, "body.label: Input should be 'support', 'oppose' or 'neutral'"),
    ({"text": " \n\t", "label": "oppose"}, "body.text: text is empty"),
    ({"label": "oppose"}, "body.text: Field required"),
    ({"text": "x" * 501, "label": "oppose"}, "body.text: text is 501 characters; the limit is 500 (STANCE_MAX_TEXT_CHARS)"),
    ({"text": QUOTE, "label": "oppose", "speaker": "s" * 201}, "body.speaker: speaker is 201 characters; the limit is 200"),
    ({"text": QUOTE, "label": "oppose", "speaker_role": "r" * 201}, "body.speaker_role: speaker_role is 201 characters"),
    ({"text": QUOTE, "label": "oppose", "note": "n" * 2001}, "body.note: note is 2001 characters; the limit is 2000"),
    ({"text": QUOTE, "label": "oppose", "predicted": "yes"}, "body.predicted: Input should be"),
    ({"text": "a\x00b", "label": "oppose"}, "body.text: text holds a NUL character"),
])
def test_bad_corrections_are_refused_with_422_and_nothing_is_stored(client, body, problem):
    before = newest(client)
    answer = client.post("/v1/corrections", json=body)
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(problem)
    assert newest(client) == before


def test_both_routes_need_a_key(client):
    for method, path in (("POST", "/v1/corrections"), ("GET", "/v1/corrections")):
        answer = client.request(method, path, json={"text": QUOTE, "label": "oppose"}, headers={"X-API-Key": ""})
        assert answer.status_code == 401


def test_corrections_are_counted_in_metrics(client):
    def count(sample: str) -> float:
        found = [line.rsplit(" ", 1)[1] for line in client.get("/metrics").text.splitlines() if line.startswith(sample + " ")]
        return float(found[0]) if found else 0.0

    stored = 'stance_corrections_total{outcome="stored"}'
    refused = 'stance_http_requests_total{method="POST",route="/v1/corrections",status="422"}'
    before = count(stored), count(refused)
    client.post("/v1/corrections", json={"text": QUOTE, "label": "oppose"})
    client.post("/v1/corrections", json={"text": QUOTE, "label": "support"})
    client.post("/v1/corrections", json={"text": QUOTE, "label": "nope"})
    assert (count(stored), count(refused)) == (before[0] + 2, before[1] + 1)


def test_the_routes_are_documented_with_examples(client):
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/corrections"]["post"]
    assert {"201", "401", "413", "422", "503"} <= set(post["responses"])
    request = schema["components"]["schemas"]["CorrectionRequest"]
    assert request["required"] == ["text", "label"] and request["examples"][0]["label"] == "oppose"
    assert "limit" in {p["name"] for p in schema["paths"]["/v1/corrections"]["get"]["parameters"]}


def test_a_database_that_is_down_answers_503_and_scoring_goes_on(monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("STANCE_DATABASE_URL", f"postgresql://nobody@127.0.0.1:{port}/none?connect_timeout=2")
    with TestClient(create_app(Settings())) as client:
        for answer in (client.post("/v1/corrections", json={"text": QUOTE, "label": "oppose"}),
                       client.get("/v1/corrections")):
            assert answer.status_code == 503
            assert answer.json()["error"] == "store_unavailable"
            assert "the corrections database is unavailable" in answer.json()["message"]
        assert client.post("/v1/score", json={"text": QUOTE}).status_code == 200
        assert 'stance_corrections_total{outcome="store_unavailable"} 2.0' in client.get("/metrics").text


def test_an_unknown_query_parameter_and_a_wrong_method_are_refused(client):
    answer = client.get("/v1/corrections", params={"limti": 5})
    assert answer.status_code == 422 and answer.json()["message"].startswith("query.limti: Extra inputs are not permitted")
    answer = client.put("/v1/corrections", json={})
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
