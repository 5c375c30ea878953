"""Per request: a request id (echoed in `X-Request-ID`), one JSON log line, and metrics."""

import itertools
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quote_stance.service.asgi import header
from quote_stance.service.logs import service_logger
from quote_stance.service.metrics import Metrics

REQUEST_ID_HEADER = b"x-request-id"
# A caller's id is echoed only if it is short and plain; anything else is replaced.
_VALID_ID = re.compile(rb"[A-Za-z0-9._:/+=@-]{1,128}")
LOGGED_BODY_CHARS = 2000
# Any other method a client invents is counted as "other", so metric labels stay few.
_METHODS = frozenset(("GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))

log = service_logger()
# Made ids: a random per-process prefix and a counter, unique across workers and restarts
# without a system call per request (uuid4 reads the kernel's random source each time).
_ID_PREFIX = os.urandom(8).hex()
_id_counter = itertools.count(1)


class RequestObserver:
    def __init__(self, app: ASGIApp, metrics: Metrics, log_text: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.log_text = log_text

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id.decode()
        status = 500
        body: list[bytes] = []

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, request_id)]
            await send(message)

        async def receive_logged() -> Message:
            message = await receive()
            if message["type"] == "http.request" and sum(map(len, body)) < LOGGED_BODY_CHARS:
                body.append(message.get("body", b""))
            return message

        try:
            await self.app(scope, receive_logged if self.log_text else receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"] if scope["method"] in _METHODS else "other"
            self.metrics.observe_request(template, method, status, seconds)
            entry = {
                "event": "request",
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
                "request_id": request_id.decode(),
            }
            if self.log_text:
                entry["body"] = b"".join(body).decode("utf-8", "replace")[:LOGGED_BODY_CHARS]
            log.info(entry)


def _request_id(scope: Scope) -> bytes:
    given = header(scope, REQUEST_ID_HEADER)
    if given is not None and _VALID_ID.fullmatch(given):
        return given
    return f"{_ID_PREFIX}{next(_id_counter):016x}".encode()
