"""The app in process: quick checks of validation, auth, extraction wiring, logging and metrics."""

import json
import logging
import sys
import types

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from quote_stance.service.app import create_app
from quote_stance.service.security import key_matches
from quote_stance.service.settings import Settings


@pytest.fixture(scope="module")
def small_limits():
    with TestClient(create_app(Settings(max_text_chars=50, max_batch=3))) as client:
        yield client


@pytest.fixture(scope="module")
def keyed():
    with TestClient(create_app(Settings(api_keys=("s3cret", "other")))) as client:
        yield client


def test_limits_name_themselves(small_limits):
    too_long = small_limits.post("/v1/score", json={"text": "x" * 51})
    assert too_long.status_code == 422
    assert too_long.json()["message"] == "body.text: text is 51 characters; the limit is 50 (STANCE_MAX_TEXT_CHARS)"
    too_many = small_limits.post("/v1/score/batch", json={"items": [{"text": "a"}] * 4})
    assert too_many.json()["message"] == "body.items: the batch has 4 items; the limit is 3 (STANCE_MAX_BATCH)"
    bad_item = small_limits.post("/v1/score/batch", json={"items": [{"text": "a"}, {"id": "b", "text": " "}]})
    assert bad_item.json()["details"][0]["field"] == "body.items[1].text"
    assert small_limits.post("/v1/score/batch", json={"items": []}).json()["results"] == []


def test_the_docs_show_the_configured_limits(small_limits):
    components = small_limits.get("/openapi.json").json()["components"]["schemas"]
    assert components["ScoreRequest"]["properties"]["text"]["maxLength"] == 50
    assert components["BatchRequest"]["properties"]["items"]["maxItems"] == 3


def test_keys(keyed):
    assert keyed.get("/v1/health").status_code == 200
    assert keyed.get("/v1/model").status_code == 401
    assert keyed.get("/v1/model", headers={"X-API-Key": "s3cre"}).status_code == 401
    assert keyed.get("/v1/model", headers={"X-API-Key": "other"}).status_code == 200
    assert keyed.get("/metrics", headers={"X-API-Key": "s3cret"}).status_code == 200


def test_key_comparison():
    keys = (b"alpha", b"beta")
    assert key_matches(b"beta", keys) and not key_matches(b"bet", keys) and not key_matches(b"", keys)
    assert not key_matches(b"\xff\xc3\xa9", keys)  # odd header bytes are a mismatch, not a crash


def test_startup_says_when_the_service_is_open(caplog):
    with caplog.at_level(logging.INFO, logger="stance.service"):
        with TestClient(create_app(Settings())):
            pass
    assert any(isinstance(r.msg, dict) and r.msg.get("event") == "auth_disabled" for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="stance.service"):
        with TestClient(create_app(Settings(api_keys=("k",)))):
            pass
    assert not any(isinstance(r.msg, dict) and r.msg.get("event") == "auth_disabled" for r in caplog.records)


@pytest.mark.parametrize("log_text", [False, True])
def test_quote_text_is_logged_only_when_asked(caplog, log_text):
    with TestClient(create_app(Settings(log_text=log_text))) as client:
        with caplog.at_level(logging.INFO, logger="stance.service"):
            client.post("/v1/score", json={"text": "Mayor Ilse Brandt vows to fight"})
    requests = [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("event") == "request"]
    assert len(requests) == 1
    assert ("Ilse Brandt" in json.dumps(requests[0])) is log_text


def test_extract_uses_the_quote_finder_once_it_exists(monkeypatch):
    article = 'Dana Whitfield said: "We will see them in court."'
    seen = {}

    def extract_quotes(text, model):
        seen["args"] = (text, model.version)
        prediction = model.predict_one("We will see them in court.")
        return [
            {
                "quote": "We will see them in court.", "speaker": "Whitfield", "start": 22, "end": 48,
                "stance": prediction.stance, "confidence": prediction.confidence,
                "probabilities": prediction.probabilities, "speaker_full": "Dana Whitfield", "cue": "said",
                "paragraph": 0,
            }
        ]

    monkeypatch.setitem(sys.modules, "quote_stance.quotes.finder", types.SimpleNamespace(extract_quotes=extract_quotes))
    with TestClient(create_app(Settings())) as client:
        answer = client.post("/v1/extract", json={"text": article})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert seen["args"] == (article, body["model_version"])
    quote = body["quotes"][0]
    assert article[quote["start"] : quote["end"]] == quote["quote"]
    assert quote["speaker_full"] == "Dana Whitfield" and quote["paragraph"] == 0


def test_extract_is_501_while_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, "quote_stance.quotes.finder", None)  # import raises ModuleNotFoundError
    with TestClient(create_app(Settings())) as client:
        answer = client.post("/v1/extract", json={"text": "Some article."})
    assert answer.status_code == 501 and answer.json()["error"] == "not_implemented"


def test_cors_when_configured():
    with TestClient(create_app(Settings(cors_origins=("https://cms.example",)))) as client:
        answer = client.options(
            "/v1/score",
            headers={"Origin": "https://cms.example", "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "X-API-Key, Content-Type"},
        )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "https://cms.example"


@pytest.fixture(scope="module")
def open_client():
    with TestClient(create_app(Settings())) as client:
        yield client


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["text", "items", "id", "explain", "x"]), children, max_size=4),
    max_leaves=12,
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values, path=st.sampled_from(["/v1/score", "/v1/score/batch", "/v1/extract"]))
def test_no_json_body_gets_a_500(open_client, body, path):
    answer = open_client.post(path, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 422, 501), answer.text
    assert isinstance(answer.json(), dict)


def test_score_answer_is_the_response_model_serialised(small_limits):
    """/v1/score answers through FastAPI's response model: its fields, in order, and the explanation's score is the same."""
    from quote_stance.service.schemas import ScoreResponse

    for text in ["We will see them in court.", "The department is reviewing the guidance.", "x"]:
        answer = small_limits.post("/v1/score", json={"text": text})
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
        body = answer.json()
        assert list(body) == ["stance", "confidence", "probabilities", "model_version"]
        assert list(body["probabilities"]) == ["support", "oppose", "neutral"]
        assert ScoreResponse.model_validate(body).model_dump(exclude_none=True) == body
        explained = small_limits.post("/v1/score", json={"text": text, "explain": True}).json()
        explained.pop("explanation")
        assert explained == body


def test_concurrent_quotes_are_scored_together_each_with_its_own_answer_and_model():
    import asyncio

    from quote_stance.service.batching import MicroBatcher
    from quote_stance.service.metrics import Metrics
    from quote_stance.service.scoring import ScoringService

    class Holder:
        def __init__(self, model):
            self.model = model

    class Model:
        def __init__(self, version, row):
            self.version, self.row, self.batches = version, row, []

        def predict_proba(self, texts, speakers=None, roles=None):
            self.batches.append(list(texts))
            if "boom" in texts:
                raise ValueError("no")
            return np.asarray([self.row] * len(texts), dtype=np.float32)

    old, new = Model("old", [0.5, 0.25, 0.25]), Model("new", [0.25, 0.5, 0.25])
    # A long window: every quote below arrives before the first batch leaves.
    service = ScoringService(Holder(old), Metrics(), MicroBatcher(max_batch_size=64, max_latency_ms=200))

    async def scenario():
        first = [asyncio.ensure_future(service.score(t)) for t in ("a", "b", "boom")]
        await asyncio.sleep(0)  # the three are waiting, not yet scored
        service.holder.model = new  # a reload: what was waiting stays with the old model
        later = asyncio.ensure_future(service.score("c"))
        done = await asyncio.gather(*first, later, return_exceptions=True)
        await service.batcher.close()
        return done

    a, b, boom, c = asyncio.run(scenario())
    assert a["model_version"] == "old" and b["stance"] == "support"
    assert isinstance(boom, ValueError)
    assert c["model_version"] == "new" and c["stance"] == "oppose"
    # scored together (one call per model), then one by one to find the failing quote
    assert old.batches == [["a", "b", "boom"], ["a"], ["b"], ["boom"]] and new.batches == [["c"]]


def test_the_micro_batcher_keeps_to_its_maximum_batch_size():
    import asyncio

    from quote_stance.service.batching import MicroBatcher

    class Model:
        batches: list = []

        def predict_proba(self, texts, speakers=None, roles=None):
            self.batches.append(len(texts))
            return np.full((len(texts), 3), 1 / 3)

    model, batcher = Model(), MicroBatcher(max_batch_size=4, max_latency_ms=50)

    async def scenario():
        rows = await asyncio.gather(*(batcher.predict_proba(model, f"q{i}") for i in range(10)))
        await batcher.close()
        return rows

    rows = asyncio.run(scenario())
    assert len(rows) == 10 and all(row.shape == (3,) for row in rows)
    assert model.batches == [4, 4, 2]


def test_concurrent_scores_each_get_their_own_prediction(default_model):
    import asyncio

    import httpx

    app = create_app(Settings())
    texts = [f"Quote {i}: we will {'sue the administration' if i % 2 else 'comply with the law'}." for i in range(40)]

    async def scenario():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                answers = await asyncio.gather(*(client.post("/v1/score", json={"text": t}) for t in texts))
        return [a.json() for a in answers]

    answers = asyncio.run(scenario())
    expected = default_model.predict(texts)
    assert [a["stance"] for a in answers] == [p.stance for p in expected]
    assert [a["probabilities"] for a in answers] == [p.probabilities for p in expected]
