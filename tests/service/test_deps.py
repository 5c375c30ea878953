"""The routes' dependencies run for every request: a guard on the scoring routes refuses them all."""

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from quote_stance.service.app import create_app
from quote_stance.service.deps import get_service
from quote_stance.service.settings import Settings

QUOTE = "We will see them in court."


def forbid() -> None:
    raise HTTPException(403, "forbidden by a guard")


@pytest.fixture(scope="module")
def guarded():
    """The real app, with the scoring routes' service dependency replaced by a guard that refuses."""
    app = create_app(Settings())
    with TestClient(app) as client:
        assert client.post("/v1/score", json={"text": QUOTE}).status_code == 200  # serving before the guard
        app.dependency_overrides[get_service] = forbid
        yield client
        app.dependency_overrides.clear()


@pytest.mark.parametrize("path, body", [
    ("/v1/score", {"text": QUOTE}),
    ("/v1/score", {"text": QUOTE, "explain": True}),
    ("/v1/score/batch", {"items": [{"text": QUOTE}]}),
    ("/v1/extract", {"text": f'"{QUOTE}" the mayor said.'}),
    ("/v1/model", None),
    ("/metrics", None),
])
def test_a_guard_on_the_service_dependency_refuses_every_request(guarded, path, body):
    answer = guarded.post(path, json=body) if body is not None else guarded.get(path)
    assert answer.status_code == 403, (path, body, answer.text)


def test_every_plain_score_request_meets_the_guard_not_only_the_first(guarded):
    answers = [guarded.post("/v1/score", json={"text": f"{QUOTE} {i}"}).status_code for i in range(20)]
    assert answers == [403] * 20


def test_a_router_level_dependency_applies_to_plain_explained_and_batch_scores():
    """A dependency given to the scoring router (as keys or rate limits would be) runs for each route."""
    from fastapi import Depends, FastAPI

    from quote_stance.service.routes import score
    from quote_stance.service.schemas import request_models

    settings = Settings()
    app = FastAPI()
    app.state.settings = settings
    app.include_router(score.build(request_models(settings)), dependencies=[Depends(forbid)])
    with TestClient(app) as client:  # no service in app.state: the guard answers before the route runs
        for path, body in [("/v1/score", {"text": QUOTE}), ("/v1/score", {"text": QUOTE, "explain": True}),
                           ("/v1/score/batch", {"items": [{"text": QUOTE}]})]:
            assert client.post(path, json=body).status_code == 403
