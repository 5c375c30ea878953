"""The body-limit middleware alone, fed chunk by chunk."""

import asyncio
import json

from quote_stance.service.limits import BodySizeLimit


def run(middleware_limit: int, chunks: list[bytes], headers: list | None = None):
    called = {}

    async def app(scope, receive, send):
        message = await receive()
        called["body"] = message["body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    consumed = []
    sent = []

    async def receive():
        if messages:
            consumed.append(1)
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers or []}
    asyncio.run(BodySizeLimit(app, middleware_limit)(scope, receive, send))
    return called, sent, len(consumed)


def test_within_the_limit_the_app_gets_the_whole_body_at_once():
    called, sent, _ = run(10, [b"abc", b"def", b"ghij"])
    assert called["body"] == b"abcdefghij"
    assert sent[0]["status"] == 200


def test_a_chunked_body_over_the_limit_is_refused_without_calling_the_app():
    called, sent, consumed = run(10, [b"abcdef", b"ghijkl", b"mnop"])
    assert called == {}
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"] == "body_too_large"
    assert consumed == 3  # the rest was read and dropped, so the client sees the answer


def test_a_declared_length_over_the_limit_is_refused_before_reading_when_the_client_waits():
    headers = [(b"content-length", b"100"), (b"expect", b"100-continue")]
    called, sent, consumed = run(10, [b"x" * 100], headers)
    assert called == {} and sent[0]["status"] == 413 and consumed == 0
