"""GET /v1/health: open even when API keys are set, for load balancers and the container."""

from fastapi import FastAPI

from quote_stance.service.schemas import Health


def register(app: FastAPI) -> None:
    @app.get("/v1/health", response_model=Health, summary="Liveness: the service answers", tags=["operations"])
    async def health() -> dict:
        return {"status": "ok"}
