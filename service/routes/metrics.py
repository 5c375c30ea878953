"""GET /metrics in Prometheus' text format."""

from fastapi import APIRouter, Response

from quote_stance.service.deps import ServiceDep

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"example": 'stance_http_requests_total{method="POST",route="/v1/score",status="200"} 12.0'}}}},
)
async def metrics(service: ServiceDep) -> Response:
    return Response(service.metrics.exposition(), media_type=service.metrics.content_type)
