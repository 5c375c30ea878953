"""POST /v1/score and POST /v1/score/batch."""

from fastapi import FastAPI, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends

from quote_stance.service.schemas import BatchResponse, ErrorBody, RequestModels, ScoreResponse
from quote_stance.service.scoring import ScoringService

ERRORS = {
    413: {"model": ErrorBody, "description": "body over STANCE_MAX_BODY_BYTES"},
    422: {"model": ErrorBody, "description": "invalid body, or a text or batch over its limit"},
}


def register(
    app: FastAPI,
    service: ScoringService,
    models: RequestModels,
    dependencies: list[Depends] | None = None,
    responses: dict | None = None,
) -> None:
    """Add the routes to the app itself: an included router is matched and dispatched through
    one more layer on every request (FastAPI 0.165), a measurable share of a single score.

    `dependencies` and `responses` are what an included router would add (the key's header
    and its 401, when keys are set).
    """
    ScoreRequest, BatchRequest = models.score, models.batch
    dependencies = dependencies or []
    documented = {**ERRORS, **(responses or {})}

    async def score(body: ScoreRequest) -> dict | Response:
        if body.explain:  # explanation is slower: keep it off the event loop
            return await run_in_threadpool(service.score, body.text, True, body.speaker, body.speaker_role)
        # One quote takes well under a millisecond: cheaper on the loop than a hop to a thread,
        # and scored with the others of this turn of the loop.
        return Response(
            await service.score_json_soon(body.text, body.speaker, body.speaker_role), media_type="application/json"
        )

    app.router.add_api_route(
        "/v1/score", score, methods=["POST"], response_model=ScoreResponse, response_model_exclude_none=True,
        responses=documented, summary="The stance of one quote", tags=["scoring"], dependencies=dependencies,
    )

    @app.post("/v1/score/batch", response_model=BatchResponse, responses=documented,
              summary="The stances of many quotes, in input order", tags=["scoring"], dependencies=dependencies)
    async def score_batch(body: BatchRequest) -> dict:
        ids = [item.id for item in body.items]
        texts = [item.text for item in body.items]
        speakers = [item.speaker for item in body.items]
        roles = [item.speaker_role for item in body.items]
        return await run_in_threadpool(service.score_batch, ids, texts, speakers, roles)
