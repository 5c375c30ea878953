"""GET /v1/health: open even when API keys are set, for load balancers and the container."""

from fastapi import APIRouter

from quote_stance.service.schemas import Health

router = APIRouter(prefix="/v1/health", tags=["operations"])


@router.get("", response_model=Health, summary="Liveness: the service answers")
async def health() -> dict:
    return {"status": "ok"}
