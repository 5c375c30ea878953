"""Speaker context on /v1/score and /v1/score/batch, through a real uvicorn on loopback."""

import pytest

from quote_stance.model.context import CONTEXT_LIMIT

pytestmark = pytest.mark.usefixtures("live_server")

QUOTE = "We will follow the law and keep working with our partners."
SPEAKER, ROLE = "Jane Roe", "U.S. Attorney General"


def test_score_uses_the_speaker_and_role_as_the_model_does(live_server, default_model):
    with live_server.client() as client:
        answer = client.post("/v1/score", json={"text": QUOTE, "speaker": SPEAKER, "speaker_role": ROLE}).json()
    expected = default_model.predict_proba([QUOTE], [SPEAKER], [ROLE])[0]
    assert [answer["probabilities"][label] for label in default_model.labels] == pytest.approx(expected.tolist())


@pytest.mark.parametrize("context", [{}, {"speaker": None, "speaker_role": None}, {"speaker": "", "speaker_role": "  "}])
def test_absent_null_and_blank_context_mean_unknown(live_server, default_model, context):
    with live_server.client() as client:
        answer = client.post("/v1/score", json={"text": QUOTE, **context}).json()
    expected = default_model.predict_proba([QUOTE])[0]
    assert [answer["probabilities"][label] for label in default_model.labels] == pytest.approx(expected.tolist())


@pytest.mark.parametrize("field", ["speaker", "speaker_role"])
def test_context_over_the_limit_gets_422_naming_the_field(live_server, field):
    with live_server.client() as client:
        at_limit = client.post("/v1/score", json={"text": QUOTE, field: "x" * CONTEXT_LIMIT})
        over = client.post("/v1/score", json={"text": QUOTE, field: "x" * (CONTEXT_LIMIT + 1)})
        in_batch = client.post("/v1/score/batch", json={"items": [{"text": QUOTE}, {"text": QUOTE, field: "y" * 500}]})
        not_text = client.post("/v1/score", json={"text": QUOTE, field: 12})
    assert at_limit.status_code == 200
    assert over.status_code == 422 and field in over.json()["message"] and "200" in over.json()["message"]
    assert in_batch.status_code == 422 and field in in_batch.json()["message"]
    assert not_text.status_code == 422


def test_batch_items_carry_their_own_context(live_server):
    items = [
        {"id": "bare", "text": QUOTE},
        {"id": "role", "text": QUOTE, "speaker_role": ROLE},
        {"id": "both", "text": QUOTE, "speaker": SPEAKER, "speaker_role": "Mayor of a sanctuary city"},
    ]
    with live_server.client() as client:
        answer = client.post("/v1/score/batch", json={"items": items}).json()
        singles = [client.post("/v1/score", json={k: v for k, v in item.items() if k != "id"}).json() for item in items]
    assert [r["id"] for r in answer["results"]] == ["bare", "role", "both"]
    for result, single in zip(answer["results"], singles):
        assert result["probabilities"] == pytest.approx(single["probabilities"])
    assert answer["results"][0]["probabilities"] != pytest.approx(answer["results"][1]["probabilities"])


def test_explanation_lists_context_features(live_server):
    with live_server.client() as client:
        answer = client.post(
            "/v1/score", json={"text": QUOTE, "speaker": SPEAKER, "speaker_role": ROLE, "explain": True}
        ).json()
    terms = [t["term"] for t in answer["explanation"]]
    assert any(term.startswith(("kind:", "role:")) for term in terms), terms


def test_the_schema_documents_the_context_fields(live_server):
    with live_server.client() as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("ScoreRequest", "BatchItem"):
        properties = schemas[name]["properties"]
        for field in ("speaker", "speaker_role"):
            assert field in properties
            schema = properties[field]
            # maxLength constrains the string branch (JSON Schema applies it to strings only)
            assert CONTEXT_LIMIT in [schema.get("maxLength")] + [o.get("maxLength") for o in schema.get("anyOf", [])]
            assert {"type": "null"} in schema["anyOf"]
