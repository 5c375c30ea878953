"""POST /v1/score and POST /v1/score/batch."""

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from service.schemas import BatchResponse, ErrorBody, RequestModels, ScoreResponse
from service.scoring import ScoringService

ERRORS = {
    413: {"model": ErrorBody, "description": "body over STANCE_MAX_BODY_BYTES"},
    422: {"model": ErrorBody, "description": "invalid body, or a text or batch over its limit"},
}


def build(service: ScoringService, models: RequestModels) -> APIRouter:
    router = APIRouter(prefix="/v1/score", tags=["scoring"])
    ScoreRequest, BatchRequest = models.score, models.batch

    @router.post("", response_model=ScoreResponse, response_model_exclude_none=True, responses=ERRORS,
                 summary="The stance of one quote")
    async def score(body: ScoreRequest) -> dict:
        if body.explain:  # explanation is slower: keep it off the event loop
            return await run_in_threadpool(service.score, body.text, True)
        # One quote takes well under a millisecond: cheaper here than a hop to a thread.
        return service.score(body.text)

    @router.post("/batch", response_model=BatchResponse, responses=ERRORS,
                 summary="The stances of many quotes, in input order")
    async def score_batch(body: BatchRequest) -> dict:
        ids = [item.id for item in body.items]
        texts = [item.text for item in body.items]
        return await run_in_threadpool(service.score_batch, ids, texts)

    return router
