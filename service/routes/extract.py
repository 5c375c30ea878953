"""POST /v1/extract: the quotes of an article, their speakers and stances."""

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from quote_stance.service.deps import ServiceDep
from quote_stance.service.routes.score import ERRORS
from quote_stance.service.schemas import ErrorBody, ExtractResponse, RequestModels


def build(models: RequestModels) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["scoring"])
    ExtractRequest = models.extract

    @router.post(
        "/extract",
        response_model=ExtractResponse,
        responses={**ERRORS, 501: {"model": ErrorBody, "description": "the quote finder is not in this build"}},
        summary="Find the quotes in an article, name each speaker, score each quote",
    )
    async def extract(body: ExtractRequest, service: ServiceDep) -> dict:
        return await run_in_threadpool(service.extract, body.text)

    return router
