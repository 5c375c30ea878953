"""POST /v1/score and POST /v1/score/batch."""

import json

from fastapi import FastAPI, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.types import Receive, Scope, Send

from service.asgi import header, replay_body
from service.schemas import BatchResponse, ErrorBody, RequestModels, ScoreResponse
from service.scoring import ScoringService

ERRORS = {
    413: {"model": ErrorBody, "description": "body over STANCE_MAX_BODY_BYTES"},
    422: {"model": ErrorBody, "description": "invalid body, or a text or batch over its limit"},
}
_CONTENT_TYPE = b"content-type"
_JSON = b"application/json"


def quick_score_route(service: ScoringService, request_model: type[BaseModel]) -> type[APIRoute]:
    """The route class of /v1/score: the common request answered from ASGI, the rest by FastAPI.

    FastAPI's route machinery (request object, exit stacks, dependency solving, the endpoint
    call) costs more per request than scoring the quote does. A POST with
    `Content-Type: application/json` whose body FastAPI would parse (`json.loads`, as
    Starlette's `Request.json`) into a valid `request_model` without `explain` is answered
    here: same validation, same scoring call, same bytes and headers as the endpoint's
    `Response`. Anything else (another content type, a body that does not parse or validate,
    `explain`) is handed, body and all, to FastAPI's own handling, which answers it as it
    would have. The API key and body limit are middleware, outside the route: both apply
    to either path.
    """

    class QuickScoreRoute(APIRoute):
        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["method"] != "POST" or header(scope, _CONTENT_TYPE) != _JSON:
                await super().handle(scope, receive, send)
                return
            body = await _read_body(receive)
            if body is None:  # the client went away before the body was complete
                return
            request = _parse(body, request_model)
            if request is None or request.explain:
                await super().handle(scope, replay_body(body, receive), send)
                return
            answer = await service.score_json_soon(request.text)
            await send({
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", str(len(answer)).encode()), (_CONTENT_TYPE, _JSON)],
            })
            await send({"type": "http.response.body", "body": answer})

    return QuickScoreRoute


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _parse(body: bytes, request_model: type[BaseModel]) -> BaseModel | None:
    """The body as FastAPI reads it into `request_model`; None when FastAPI would refuse it."""
    if not body:
        return None
    try:
        return request_model.model_validate(json.loads(body))
    except (ValueError, ValidationError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


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

    # Answers what QuickScoreRoute hands over; its signature documents the route.
    async def score(body: ScoreRequest) -> dict | Response:
        if body.explain:  # explanation is slower: keep it off the event loop
            return await run_in_threadpool(service.score, body.text, True)
        # One quote takes well under a millisecond: cheaper on the loop than a hop to a thread,
        # and scored with the others of this turn of the loop.
        return Response(await service.score_json_soon(body.text), media_type="application/json")

    app.router.add_api_route(
        "/v1/score", score, methods=["POST"], response_model=ScoreResponse, response_model_exclude_none=True,
        responses=documented, summary="The stance of one quote", tags=["scoring"], dependencies=dependencies,
        route_class_override=quick_score_route(service, ScoreRequest),
    )

    @app.post("/v1/score/batch", response_model=BatchResponse, responses=documented,
              summary="The stances of many quotes, in input order", tags=["scoring"], dependencies=dependencies)
    async def score_batch(body: BatchRequest) -> dict:
        ids = [item.id for item in body.items]
        texts = [item.text for item in body.items]
        return await run_in_threadpool(service.score_batch, ids, texts)
