"""The contract's routes through a real uvicorn on loopback."""

import importlib.util
import json
import time

import httpx
import pytest

from quote_stance.model.labels import LABELS
from tests.service.conftest import API_KEYS

pytestmark = pytest.mark.usefixtures("live_server")

QUOTES = [
    "We will see the Justice Department in court; these grant conditions are unconstitutional.",
    "Sanctuary cities that release criminal aliens put every resident at risk.",
    "The county is reviewing the guidance and will respond by the deadline.",
]


def assert_prediction(answer: dict) -> None:
    assert answer["stance"] in LABELS
    probabilities = answer["probabilities"]
    assert set(probabilities) == set(LABELS)
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert answer["confidence"] == max(probabilities.values())
    assert probabilities[answer["stance"]] == answer["confidence"]


def test_health_is_open(live_server):
    response = httpx.get(f"{live_server.base_url}/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/v1/model", None),
        ("POST", "/v1/score", {"text": QUOTES[0]}),
        ("POST", "/v1/score/batch", {"items": [{"text": QUOTES[0]}]}),
        ("POST", "/v1/extract", {"text": QUOTES[0]}),
        ("POST", "/v1/model/reload", None),
        ("GET", "/metrics", None),
    ],
)
def test_every_other_route_needs_a_valid_key(live_server, method, path, body):
    for key, expected in [(None, "missing X-API-Key"), ("wrong-key", "not hold a valid key"), (API_KEYS[0][:-1], "not hold a valid key")]:
        with live_server.client(key) as client:
            response = client.request(method, path, json=body)
        assert response.status_code == 401, (key, response.text)
        assert expected in response.json()["message"]
    with live_server.client(API_KEYS[1]) as client:
        assert client.request(method, path, json=body).status_code not in (401, 403, 500)


def test_model_metadata(live_server):
    with live_server.client() as client:
        answer = client.get("/v1/model").json()
    assert answer["labels"] == list(LABELS)
    for field in ("version", "trained_at", "metrics"):
        assert answer[field]


def test_score(live_server):
    with live_server.client() as client:
        version = client.get("/v1/model").json()["version"]
        answer = client.post("/v1/score", json={"text": QUOTES[0]}).json()
    assert set(answer) == {"stance", "confidence", "probabilities", "model_version"}
    assert answer["model_version"] == version
    assert_prediction(answer)


def test_score_with_explanation(live_server):
    with live_server.client() as client:
        plain = client.post("/v1/score", json={"text": QUOTES[1]}).json()
        explained = client.post("/v1/score", json={"text": QUOTES[1], "explain": True}).json()
    terms = explained.pop("explanation")
    assert explained == plain
    assert 0 < len(terms) <= 10
    weights = [abs(t["weight"]) for t in terms]
    assert weights == sorted(weights, reverse=True)
    assert all(isinstance(t["term"], str) and t["term"] for t in terms)


def test_batch_keeps_order_and_ids_and_matches_single_scores(live_server):
    items = [{"id": f"q{i}", "text": text} for i, text in enumerate(QUOTES)] + [{"text": QUOTES[0]}]
    with live_server.client() as client:
        answer = client.post("/v1/score/batch", json={"items": items}).json()
        singles = [client.post("/v1/score", json={"text": item["text"]}).json() for item in items]
    assert [r["id"] for r in answer["results"]] == ["q0", "q1", "q2", None]
    for result, single in zip(answer["results"], singles):
        assert_prediction(result)
        assert result["probabilities"] == single["probabilities"]
    assert answer["model_version"] == singles[0]["model_version"]


def test_extract_answers_501_until_the_quote_finder_lands(live_server):
    with live_server.client() as client:
        response = client.post("/v1/extract", json={"text": f'Mayor Dana Whitfield said: "{QUOTES[0]}"'})
    if importlib.util.find_spec("quote_stance.quotes.finder") is None:
        assert response.status_code == 501
        assert "quote_stance.quotes.finder" in response.json()["message"]
    else:
        assert response.status_code == 200
        answer = response.json()
        assert set(answer) == {"quotes", "model_version"}
        for quote in answer["quotes"]:
            assert {"quote", "speaker", "speaker_role", "start", "end", "stance", "confidence", "probabilities"} <= set(quote)
        assert [(q["speaker"], q["speaker_role"]) for q in answer["quotes"]] == [("Dana Whitfield", "Mayor")]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_30_mb_body_gets_413(live_server, chunked):
    body = b'{"text": "' + b"a" * (30 * 1024 * 1024) + b'"}'
    content = (body[i : i + 65536] for i in range(0, len(body), 65536)) if chunked else body
    with live_server.client() as client:
        response = client.post("/v1/score", content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.json()["error"] == "body_too_large"
        assert "STANCE_MAX_BODY_BYTES" in response.json()["message"]
        assert client.get("/v1/health").status_code == 200


def test_text_and_batch_over_their_limits_get_422_naming_the_limit(live_server):
    with live_server.client() as client:
        long_text = client.post("/v1/score", json={"text": "word " * 20001})
        big_batch = client.post("/v1/score/batch", json={"items": [{"text": "x"}] * 1001})
    assert long_text.status_code == 422
    assert "STANCE_MAX_TEXT_CHARS" in long_text.json()["message"]
    assert big_batch.status_code == 422
    assert "1001 items" in big_batch.json()["message"] and "STANCE_MAX_BATCH" in big_batch.json()["message"]


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b"[]", "application/json"),
        (b'"text"', "application/json"),
        (b"null", "application/json"),
        (b'{"text": 12}', "application/json"),
        (b'{"text": null}', "application/json"),
        (b'{"text": ""}', "application/json"),
        (b'{"text": "   "}', "application/json"),
        (b'{"txt": "hello"}', "application/json"),
        (b'{"text": "hello", "explain": "maybe"}', "application/json"),
        (b'{"text": "\\ud800 lone surrogate"}', "application/json"),
        (b'{"text": "hello"}', "text/plain"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[" * 100_000, "application/json"),
        (b'{"items": "no list"}', "application/json"),
    ],
)
def test_bad_bodies_get_json_errors_never_500(live_server, body, content_type):
    with live_server.client() as client:
        for path in ("/v1/score", "/v1/score/batch", "/v1/extract"):
            response = client.post(path, content=body, headers={"Content-Type": content_type})
            assert response.status_code in (200, 400, 422, 501), (path, response.status_code, response.text)
            error = response.json()
            if response.status_code != 200:
                assert error["message"] and error["error"]


def test_unknown_route_and_method_are_json(live_server):
    with live_server.client() as client:
        missing = client.get("/v2/nothing")
        wrong_method = client.get("/v1/score")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert wrong_method.status_code == 405 and "GET" in wrong_method.json()["message"]


def test_request_id_is_echoed_or_made(live_server):
    with live_server.client() as client:
        echoed = client.get("/v1/health", headers={"X-Request-ID": "desk-42.abc"})
        made = client.get("/v1/health")
        replaced = client.get("/v1/health", headers={"X-Request-ID": "x" * 300})
    assert echoed.headers["X-Request-ID"] == "desk-42.abc"
    assert len(made.headers["X-Request-ID"]) == 32
    assert replaced.headers["X-Request-ID"] != "x" * 300


def test_logs_have_one_json_line_per_request_and_no_quote_text(live_server):
    secret = "Zorblaxian councillor Quentin Vell says the grants are blackmail"
    with live_server.client() as client:
        client.post("/v1/score", json={"text": secret}, headers={"X-Request-ID": "log-check-1"})
        client.post("/v1/score/batch", json={"items": [{"text": secret}]}, headers={"X-Request-ID": "log-check-2"})
        client.post("/v1/score", json={"text": secret * 5000}, headers={"X-Request-ID": "log-check-3"})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        entries = [json.loads(line) for line in live_server.log_lines() if line.startswith("{")]
        mine = {e.get("request_id"): e for e in entries if str(e.get("request_id", "")).startswith("log-check")}
        if len(mine) == 3:
            break
        time.sleep(0.1)
    assert set(mine) == {"log-check-1", "log-check-2", "log-check-3"}
    assert mine["log-check-1"]["status"] == 200 and mine["log-check-3"]["status"] == 422
    for entry in mine.values():
        assert {"method", "path", "status", "duration_ms", "request_id"} <= set(entry)
    everything = live_server.log_path.read_text(errors="replace")
    assert "Zorblaxian" not in everything and "Quentin" not in everything
    assert any(e.get("event") == "startup" for e in entries)


def test_metrics(live_server):
    with live_server.client() as client:
        client.post("/v1/score", json={"text": QUOTES[0]})
        version = client.get("/v1/model").json()["version"]
        text = client.get("/metrics").text
    assert 'stance_http_requests_total{method="POST",route="/v1/score",status="200"}' in text
    assert 'stance_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/score",status="200"}' in text
    assert f'stance_model_info{{version="{version}"}} 1.0' in text
    assert "stance_predictions_total{stance=" in text


def test_openapi_documents_every_route_with_examples(live_server):
    schema = httpx.get(f"{live_server.base_url}/openapi.json").json()
    assert httpx.get(f"{live_server.base_url}/docs").status_code == 200
    paths = schema["paths"]
    routes = {("/v1/health", "get"), ("/v1/model", "get"), ("/v1/model/reload", "post"), ("/v1/score", "post"),
              ("/v1/score/batch", "post"), ("/v1/extract", "post"), ("/metrics", "get")}
    components = schema["components"]["schemas"]
    for path, method in routes:
        operation = paths[path][method]
        refs = []
        for part in [operation.get("requestBody", {})] + list(operation["responses"].values()):
            for media in part.get("content", {}).values():
                if "example" in media:
                    refs.append(True)
                ref = media.get("schema", {}).get("$ref")
                if ref:
                    refs.append("examples" in components[ref.rsplit("/", 1)[-1]])
        assert any(refs), f"{method.upper()} {path} has no example"
