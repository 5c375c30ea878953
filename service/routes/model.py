"""GET /v1/model and POST /v1/model/reload."""

import os

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from quote_stance.service.deps import ServiceDep, SettingsDep
from quote_stance.service.schemas import ErrorBody, ModelInfo, ReloadResponse

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get("", response_model=ModelInfo, summary="The metadata of the model in service")
async def model_info(service: ServiceDep) -> dict:
    return service.model.metadata


@router.post(
    "/reload",
    response_model=ReloadResponse,
    summary="Load the model directory again and swap it in",
    description=(
        "Verifies the directory (checksums, library versions, a test prediction) before the swap; "
        "requests in flight finish on the old model. A bad artifact is refused with 409 and the old "
        "model keeps serving. With several workers, answers 202 and uvicorn replaces each worker in turn."
    ),
    responses={202: {"model": ReloadResponse}, 409: {"model": ErrorBody, "description": "the new model was refused"}},
)
async def reload(service: ServiceDep, settings: SettingsDep):
    # Only the process that started this worker is signalled, never a stranger's pid.
    if settings.supervisor_pid is not None and settings.supervisor_pid == os.getppid():
        swap = await run_in_threadpool(service.restart_workers)
        return JSONResponse(
            {"status": "restarting_workers", "model_version": swap.version, "previous_version": swap.previous_version},
            status_code=202,
        )
    swap = await run_in_threadpool(service.reload)  # loading takes a while: keep the loop serving
    return {"status": "reloaded", "model_version": swap.version, "previous_version": swap.previous_version}

