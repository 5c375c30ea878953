"""GET / and GET /static/NAME: the page for reporters (plain HTML, CSS and JavaScript).

The files ship as package data in `service/static/`; they are read once, when the app is
built, and served from memory. Only the files listed in `ASSETS` are served, so no path a
client sends reaches the file system. The page itself needs no key: it holds no data, and
asks for the key to send with its own calls to the API.
"""

import hashlib
from importlib.resources import files

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException

from quote_stance.model.context import CONTEXT_LIMIT
from quote_stance.service.settings import Settings

ASSETS = {
    "page.css": "text/css; charset=utf-8",
    "main.js": "text/javascript; charset=utf-8",
    "api.js": "text/javascript; charset=utf-8",
    "csv.js": "text/javascript; charset=utf-8",
    "article.js": "text/javascript; charset=utf-8",
    "quote_box.js": "text/javascript; charset=utf-8",
    "batch.js": "text/javascript; charset=utf-8",
    "explain.js": "text/javascript; charset=utf-8",
    "dom.js": "text/javascript; charset=utf-8",
    "corrections.js": "text/javascript; charset=utf-8",
}

# Everything comes from this origin: no inline script or style, no other host, no frames.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",  # revalidated by ETag, so an upgrade shows at once
}


def static_file(name: str) -> bytes:
    return files("quote_stance.service").joinpath("static", name).read_bytes()


def render_index(settings: Settings) -> bytes:
    """index.html with the service's limits filled in: the page chunks its batches, and checks
    a CSV's rows, by them."""
    html = static_file("index.html").decode("utf-8")
    values = {
        "MAX_BATCH": str(settings.max_batch),
        "MAX_TEXT_CHARS": str(settings.max_text_chars),
        "MAX_BODY_BYTES": str(settings.max_body_bytes),
        "MAX_CONTEXT_CHARS": str(CONTEXT_LIMIT),  # a speaker or role; the model's limit, not a setting
        "AUTH": "required" if settings.auth_enabled else "open",
    }
    for name, value in values.items():
        html = html.replace(f"%%{name}%%", value)
    return html.encode("utf-8")


class _Resource:
    def __init__(self, body: bytes, media_type: str) -> None:
        self.body = body
        self.media_type = media_type
        self.etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'

    def response(self, request: Request) -> Response:
        headers = {**SECURITY_HEADERS, "ETag": self.etag}
        if self.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(self.body, media_type=self.media_type, headers=headers)


def build(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["page"])
    index = _Resource(render_index(settings), "text/html; charset=utf-8")
    assets = {name: _Resource(static_file(name), media_type) for name, media_type in ASSETS.items()}

    @router.get("/", include_in_schema=False)
    async def page(request: Request) -> Response:
        return index.response(request)

    @router.get("/static/{name}", include_in_schema=False)
    async def asset(name: str, request: Request) -> Response:
        resource = assets.get(name)
        if resource is None:
            raise HTTPException(404)  # answered as JSON by service.errors, like any unknown path
        return resource.response(request)

    return router
