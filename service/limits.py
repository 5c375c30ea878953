"""The request body limit, enforced on the bytes as they arrive.

A `Content-Length` check alone is bypassed by a chunked body, so the middleware reads the
body itself, counting, and hands the application the complete body only when it is within
the limit. Over the limit it answers 413 without calling the application. It first reads
and discards the rest of the body (up to `DRAIN_BYTES`), because a client that is still
sending when the server closes the connection gets a reset instead of the answer.
"""

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from quote_stance.service.asgi import drain, expects_continue, header, replay_body

DRAIN_BYTES = 64 << 20


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            if not expects_continue(scope):
                await drain(receive, DRAIN_BYTES)
            # With "Expect: 100-continue" the client has not sent the body: answer at once.
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                if message.get("more_body", False):
                    await drain(receive, DRAIN_BYTES)
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, replay_body(b"".join(chunks), receive), send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": "body_too_large",
                "message": f"the request body is over the limit of {self.max_bytes} bytes (STANCE_MAX_BODY_BYTES)",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
