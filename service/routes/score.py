"""POST /v1/score and POST /v1/score/batch."""

from fastapi import APIRouter

from quote_stance.service.deps import ServiceDep
from quote_stance.service.schemas import BatchResponse, ErrorBody, RequestModels, ScoreResponse

ERRORS = {
    413: {"model": ErrorBody, "description": "body over STANCE_MAX_BODY_BYTES"},
    422: {"model": ErrorBody, "description": "invalid body, or a text or batch over its limit"},
}


def build(models: RequestModels) -> APIRouter:
    router = APIRouter(prefix="/v1/score", tags=["scoring"], responses=ERRORS)
    ScoreRequest, BatchRequest = models.score, models.batch

    @router.post("", response_model=ScoreResponse, response_model_exclude_none=True, summary="The stance of one quote")
    async def score(body: ScoreRequest, service: ServiceDep) -> dict:
        # Scored together with the other quotes of the moment, in the model's thread.
        return await service.score(body.text, body.speaker, body.speaker_role, explain=body.explain)

    @router.post("/batch", response_model=BatchResponse, summary="The stances of many quotes, in input order")
    async def score_batch(body: BatchRequest, service: ServiceDep) -> dict:
        ids = [item.id for item in body.items]
        texts = [item.text for item in body.items]
        speakers = [item.speaker for item in body.items]
        roles = [item.speaker_role for item in body.items]
        return await service.score_batch_soon(ids, texts, speakers, roles)

    return router
