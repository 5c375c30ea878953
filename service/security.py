"""API keys: `X-API-Key` checked against `STANCE_API_KEYS` in constant time, before anything else.

The check is a middleware, not a route dependency: FastAPI reads and parses a body before it
runs a route's dependencies, so a request without a key used to get 422 for a bad body, or
413 for a large one, and made the service buffer and parse it first. Here a request without
a valid key is answered 401 before its body is read. Only `open_paths` answer without a key:
the health route (load balancers, the container's health check) and the interface's
documentation (see docs/reliability.md for why).
"""

import hmac

from fastapi import FastAPI, Security
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Receive, Scope, Send

from quote_stance.service.errors import error_response
from quote_stance.service.asgi import drain, expects_continue, header

HEADER = "X-API-Key"
_HEADER_NAME = HEADER.lower().encode()
# Routes that answer without a key; the documentation routes are added by `open_paths`. The page
# for reporters and its static files are open because a browser cannot send a header when it
# opens a page; they hold no data, and every API call the page makes sends the key.
OPEN_ROUTES = ("/v1/health", "/")
OPEN_PREFIXES: tuple[str, ...] = ("/static/",)

# Declared on the protected routes so that the OpenAPI schema and /docs show the header (and
# /docs offers to send it); the check itself is `KeyCheck`'s, done before the route is reached.
documented_key = Security(APIKeyHeader(name=HEADER, auto_error=False, description="one of the keys in STANCE_API_KEYS"))


def key_matches(given: bytes, keys: tuple[bytes, ...]) -> bool:
    """True when `given` is one of `keys`; every key is compared, so timing tells nothing."""
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(given, key)
    return matched


def documentation_paths(app: FastAPI) -> frozenset[str]:
    """The app's documentation pages and schema."""
    paths = (app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)
    return frozenset(path for path in paths if path)


def open_paths(app: FastAPI) -> frozenset[str]:
    """Paths that answer without a key: OPEN_ROUTES and the app's documentation pages and schema."""
    return frozenset(OPEN_ROUTES) | documentation_paths(app)


class KeyCheck:
    """401 for any request to a path outside `open_paths` without one of `keys` in X-API-Key."""

    def __init__(self, app: ASGIApp, keys: tuple[bytes, ...], open_paths: frozenset[str], drain_bytes: int) -> None:
        self.app = app
        self.keys = keys
        self.open_paths = open_paths
        self.drain_bytes = drain_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if scope["type"] != "http" or path in self.open_paths or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        given = header(scope, _HEADER_NAME) or b""
        if given and key_matches(given, self.keys):
            await self.app(scope, receive, send)
            return
        problem = f"the {HEADER} header does not hold a valid key" if given else f"missing {HEADER} header"
        if not expects_continue(scope):
            # Read (and drop) what the client is sending, up to the body limit, so that it gets
            # this answer rather than a reset connection; a stranger cannot make it read more.
            await drain(receive, self.drain_bytes)
        await error_response(401, "unauthorized", problem)(scope, receive, send)
