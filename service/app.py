"""Builds the FastAPI app: settings, model lifespan, middleware, routers, error handlers."""

import asyncio
import multiprocessing
import signal
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from quote_stance import common
from quote_stance.common import StanceError
from quote_stance.service import errors
from quote_stance.service.batching import MicroBatcher
from quote_stance.service.limits import BodySizeLimit
from quote_stance.service.logs import lighten_records, service_logger
from quote_stance.service.metrics import Metrics
from quote_stance.service.model_holder import ModelHolder
from quote_stance.service.observe import RequestObserver
from quote_stance.service.routes import corrections, extract, health, metrics, model, page, score
from quote_stance.service.schemas import ErrorBody, request_models
from quote_stance.service.scoring import ScoringService
from quote_stance.service.security import KeyCheck, documentation_paths, documented_key, open_paths
from quote_stance.service.settings import Settings, from_env

log = service_logger()

DESCRIPTION = """Scores news quotes for their stance toward the federal grant conditions on
"sanctuary" jurisdictions: `support`, `oppose` or `neutral`.

When the service runs with `STANCE_API_KEYS`, every route but `/v1/health` needs an
`X-API-Key` header. Errors are JSON: `{"error": code, "message": one line, "details"?: [...]}`."""


async def _reload_on_sighup(service: ScoringService) -> None:
    try:
        swap = await run_in_threadpool(service.reload)
    except StanceError as error:
        log.error({"event": "reload_refused", "reason": str(error), "model_version": service.model.version})
        return
    log.info({"event": "model_reloaded", "trigger": "SIGHUP", **swap.__dict__})


@asynccontextmanager
async def lifespan(app: FastAPI):
    service: ScoringService = app.state.service
    settings: Settings = app.state.settings
    loaded = await run_in_threadpool(service.holder.load)
    service.metrics.set_model(loaded.version)
    log.info({
        "event": "startup",
        "model_version": loaded.version,
        "model_dir": str(loaded.directory),
        "max_body_bytes": settings.max_body_bytes,
        "max_batch": settings.max_batch,
        "max_text_chars": settings.max_text_chars,
        "log_text": settings.log_text,
    })
    if not settings.auth_enabled:
        log.warning({
            "event": "auth_disabled",
            "message": "STANCE_API_KEYS is not set: the service is open to anyone who can reach it",
        })
    loop = asyncio.get_running_loop()
    reloads: set[asyncio.Task] = set()  # the loop keeps only weak references to tasks

    def on_sighup() -> None:
        task = loop.create_task(_reload_on_sighup(service))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    started_by = multiprocessing.parent_process()  # the process that spawned this one, even if gone
    if settings.supervisor_pid is not None and started_by is not None and started_by.pid == settings.supervisor_pid:
        # A worker of `stance serve --workers N`: if the supervisor is killed (SIGKILL gives it
        # no chance to stop its workers), shut down gracefully rather than serve on unsupervised;
        # at once if it died while this worker was starting.
        common.watch(settings.supervisor_pid, graceful=True)
    try:  # only the main thread may own signals (not so in-process test clients)
        loop.add_signal_handler(signal.SIGHUP, on_sighup)
        hooked = True
    except (RuntimeError, NotImplementedError, ValueError):
        hooked = False
    try:
        yield
    finally:
        if hooked:
            loop.remove_signal_handler(signal.SIGHUP)
        await service.batcher.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; settings from the environment when none are given. The model loads at start-up."""
    settings = settings or from_env()
    lighten_records()  # one log record per request: make each cheap
    app = FastAPI(
        title="quote-stance",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry=None if settings.opentelemetry else {"tracing": False, "metrics": False, "logs": False},
    )
    metrics_ = Metrics()
    batcher = MicroBatcher(settings.micro_batch_size, settings.micro_batch_latency_ms, metrics_.batch_sizes.observe)
    service = ScoringService(ModelHolder(settings.model_dir), metrics_, batcher)
    app.state.settings = settings
    app.state.api_keys = tuple(key.encode("utf-8") for key in settings.api_keys)
    app.state.service = service

    models = request_models(settings)
    # With keys, KeyCheck (below) refuses requests without one; the routes declare the header
    # and the 401 so that the schema and /docs show them. With no keys both are left out.
    protected: dict = {}
    if settings.auth_enabled:
        unauthorized = {"model": ErrorBody, "description": "no X-API-Key header, or not a valid key"}
        protected = {"dependencies": [documented_key], "responses": {401: unauthorized}}
    # Routes are matched in order: the busiest first.
    app.include_router(score.build(models), **protected)
    app.include_router(health.router)
    app.include_router(model.router, **protected)
    app.include_router(extract.build(models), **protected)
    app.include_router(metrics.router, **protected)
    app.include_router(corrections.build(service, settings), **protected)
    # The page holds no data and a browser cannot send a header to open it: it is open
    # (security.OPEN_ROUTES / OPEN_PREFIXES); its calls to the API send the key.
    app.include_router(page.build(settings))
    # The documentation routes come first by construction; a request is matched against each
    # route before its own, so they go last.
    paths = documentation_paths(app)
    documentation = [route for route in app.router.routes if getattr(route, "path", None) in paths]
    app.router.routes[:] = [r for r in app.router.routes if r not in documentation] + documentation
    errors.install(app)

    # Added innermost first: the observer sees every answer, including the limit's 413.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.auth_enabled:  # outside the body limit: no key, no body read
        app.add_middleware(KeyCheck, keys=app.state.api_keys, open_paths=open_paths(app),
                           drain_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestObserver, metrics=metrics_, log_text=settings.log_text)
    return app
