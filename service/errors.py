"""Every error answer is JSON `{"error", "message", "details"?}`; nothing a client sends gets a 500."""

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from quote_stance.model.artifacts import ArtifactError
from quote_stance.service.logs import service_logger
from quote_stance.service.scoring import FeatureUnavailable

log = service_logger()


def error_response(status: int, error: str, message: str, details: list | None = None, headers=None) -> JSONResponse:
    body = {"error": error, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts)


def _problem(error: dict) -> str:
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return f"the body is not valid JSON ({reason})" if reason else "the body is not valid JSON"
    if error.get("type") == "model_attributes_type" and tuple(error.get("loc", ())) == ("body",):
        return "the body must be a JSON object, sent with Content-Type: application/json"
    return str(error.get("msg", "invalid value"))


def validation_details(errors: list[dict]) -> list[dict]:
    """Field, problem and type of each error; never the input itself, which may be a source's words."""
    details = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            loc = ("body",)  # FastAPI puts the character offset in loc; the problem text has it
        details.append({"field": _field(loc), "problem": _problem(error), "type": str(error.get("type", ""))})
    return details


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = validation_details(list(exc.errors()))
    first = details[0] if details else {"field": "body", "problem": "invalid request"}
    more = f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})" if len(details) > 1 else ""
    return error_response(422, "invalid_request", f"{first['field']}: {first['problem']}{more}", details)


_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _documented_methods(request: Request) -> set[str]:
    """The methods the app's OpenAPI schema gives the request's path (empty: not in the schema)."""
    for template, operations in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.url.path):
            return {method.upper() for method in operations if method in _METHODS}
    return set()


async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, Exception):
        # FastAPI's answer when reading the JSON body fails other than by a syntax error.
        reason = "it is nested too deeply" if isinstance(exc.__cause__, RecursionError) else type(exc.__cause__).__name__
        return error_response(422, "invalid_request", f"body: the body could not be parsed as JSON ({reason})")
    try:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        code = "error"
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        message = f"no route {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
        # Starlette names the methods of the first route of the path only; a path served by
        # several routes (GET and POST /v1/corrections) allows all of theirs, as the schema says.
        allowed = _documented_methods(request)
        if allowed:
            return error_response(405, code, message, headers={"Allow": ", ".join(sorted(allowed))})
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def on_reload_refused(request: Request, exc: ArtifactError) -> JSONResponse:
    return error_response(409, "reload_refused", f"the model was not replaced: {exc}")


async def on_feature_unavailable(request: Request, exc: FeatureUnavailable) -> JSONResponse:
    return error_response(501, "not_implemented", str(exc))


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The last line of defence: causes are fixed where found, this only keeps the answer JSON.
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "the service failed to answer; the error is in its log")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(ArtifactError, on_reload_refused)
    app.add_exception_handler(FeatureUnavailable, on_feature_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
