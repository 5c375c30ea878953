"""Small pieces of ASGI that the middleware and the /v1/score route share."""

from starlette.types import Message, Receive, Scope


def header(scope: Scope, name: bytes) -> bytes | None:
    """The value of the first header called `name` (lower-case bytes, as ASGI gives names)."""
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def expects_continue(scope: Scope) -> bool:
    """The client waits for "100 Continue" before it sends the body."""
    return any(name == b"expect" and value.lower() == b"100-continue" for name, value in scope["headers"])


async def drain(receive: Receive, budget: int) -> None:
    """Read and drop the request body, up to `budget` bytes."""
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives `body` whole as the first message, then what `receive` gives."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: disconnect notices come from the server

    return replay
