"""GET /v1/health: open even when API keys are set, for load balancers and the container."""

from fastapi import APIRouter

from service.schemas import Health

router = APIRouter(prefix="/v1", tags=["operations"])


@router.get("/health", response_model=Health, summary="Liveness: the service answers")
async def health() -> dict:
    return {"status": "ok"}
