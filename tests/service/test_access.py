"""Access with STANCE_API_KEYS set, through a real server: every route of the app, every way of
getting the key wrong; and what the logs may hold (never a key; quote text only when asked)."""

import json
import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from quote_stance.service.app import create_app
from quote_stance.service.settings import Settings
from tests.service.conftest import API_KEYS, LiveServer, start_server, stop_server

# What answers without a key, and why (docs/reliability.md): the health route for load
# balancers and the container's health check; the schema and the documentation pages, which
# hold no data and no quote, and which a browser opens by navigation, which cannot carry a
# header. A route added to this list must be added to docs/reliability.md too.
# The page and its static files are open: a browser cannot send a header to load them.
PAGE_FILE = "/static/page.css"  # the page's route `/static/{name}` is tested with a file it serves
OPEN_WITHOUT_KEY = {"/v1/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/", PAGE_FILE}

WRONG_KEYS = {
    "no header": {},
    "empty key": {"X-API-Key": ""},
    "wrong key": {"X-API-Key": "not-a-key-7f3e9a"},
    "a key cut short": {"X-API-Key": API_KEYS[0][:-1]},
    "a key with more at its end": {"X-API-Key": API_KEYS[0] + "x"},
    "two keys joined": {"X-API-Key": ",".join(API_KEYS)},
    "a key in upper case": {"X-API-Key": API_KEYS[0].upper()},
    "a key as a bearer token": {"Authorization": f"Bearer {API_KEYS[0]}"},
    "a key in another header": {"X-Api-Token": API_KEYS[0]},
}


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the app as built with keys, path parameters filled in."""

    def walk(routes, prefix: str = "") -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's record of an included router
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
                continue
            path = prefix + re.sub(r"\{[^}]*\}", "x", route.path)
            path = PAGE_FILE if path == "/static/x" else path
            methods = getattr(route, "methods", None)
            if methods is None:  # a mounted app (static files): any path below it
                yield "GET", path.rstrip("/") + "/x"
                continue
            yield from ((method, path) for method in sorted(methods) if method != "HEAD")

    return list(walk(create_app(Settings(api_keys=API_KEYS)).routes))


ROUTES = app_routes()
BODIES = {"/v1/score": {"text": "We will sue."}, "/v1/score/batch": {"items": [{"text": "We will sue."}]},
          "/v1/extract": {"text": '"We will sue," Roe said.'}, "/v1/corrections": {"text": "We will sue.", "label": "oppose"}}
# What a valid key gets where it is not 200.
ACCEPTED = {("POST", "/v1/model/reload"): 202, ("POST", "/v1/corrections"): 201}


def test_the_routes_under_test_are_all_the_apps_routes():
    paths = {path for _, path in ROUTES}
    assert {"/v1/score", "/v1/score/batch", "/v1/extract", "/v1/model", "/v1/model/reload", "/metrics",
            "/v1/health", "/docs", "/openapi.json"} <= paths


@pytest.mark.parametrize("method, path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_no_route_but_the_open_ones_answers_without_a_valid_key(live_server: LiveServer, method: str, path: str):
    body = BODIES.get(path)
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        for name, headers in WRONG_KEYS.items():
            answer = client.request(method, path, json=body, headers=headers)
            if path in OPEN_WITHOUT_KEY:
                assert answer.status_code == 200, (name, answer.text[:200])
            else:
                assert answer.status_code == 401, (name, answer.status_code, answer.text[:200])
                assert answer.json()["error"] == "unauthorized"
        # The key in the query string is not a key either (it would end up in proxies' logs).
        answer = client.request(method, path, json=body, params={"api_key": API_KEYS[0]})
        assert answer.status_code == (200 if path in OPEN_WITHOUT_KEY else 401)
        for key in API_KEYS:
            answer = client.request(method, path, json=body, headers={"X-API-Key": key})
            assert answer.status_code in (200, ACCEPTED.get((method, path))), answer.text


@pytest.mark.parametrize(
    "method, path, content",
    [
        ("POST", "/v1/score", b"{not json"),                          # would be 422
        ("POST", "/v1/score", b'{"text": ""}'),                      # would be 422
        ("POST", "/v1/score", b'{"text": "' + b"a" * (2 << 20) + b'"}'),  # would be 413
        ("GET", "/v2/no-such-route", b""),                           # would be 404
        ("DELETE", "/v1/score", b""),                                # would be 405
        ("GET", "/metrics/../v1/model", b""),
    ],
)
def test_without_a_key_nothing_is_read_or_told(live_server: LiveServer, method, path, content):
    """401 comes before the body is read: no 413 or 422 tells a stranger about limits or routes."""
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        answer = client.request(method, path, content=content, headers={"Content-Type": "application/json"})
    assert answer.status_code == 401 and answer.json() == {"error": "unauthorized", "message": "missing X-API-Key header"}


def test_the_schema_documents_the_key_and_the_401(live_server: LiveServer):
    schema = httpx.get(f"{live_server.base_url}/openapi.json").json()
    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            if path in OPEN_WITHOUT_KEY:
                assert "401" not in operation["responses"]
            else:
                assert operation["security"] == [{"APIKeyHeader": []}], path
                assert operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def raw_request(server: LiveServer, data: bytes) -> bytes:
    """Bytes sent as they are (a malformed request that no HTTP client would send)."""
    address = urlsplit(server.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # no more to come: the server answers or closes at once
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


MARKER = "Yselde Quorvath"  # an invented name, written only in quote text
SECRET_QUOTE = f"{MARKER} said the grant conditions are blackmail and the city will sue"


def send_every_kind_of_request(server: LiveServer) -> None:
    """Quote text and keys, right and wrong, through every route and every kind of error."""
    article = f'"{SECRET_QUOTE}," the mayor said. Officials disagreed. "{MARKER} is wrong," Roe said.'
    for key in (*API_KEYS, "wrong-key-Quorvath", None):
        headers = {"X-API-Key": key} if key else {}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
            client.post("/v1/score", json={"text": SECRET_QUOTE})
            client.post("/v1/score", json={"text": SECRET_QUOTE, "explain": True})
            client.post("/v1/score/batch", json={"items": [{"id": MARKER, "text": SECRET_QUOTE}]})
            client.post("/v1/extract", json={"text": article})
            client.post("/v1/score", json={"text": SECRET_QUOTE * 5000})  # over the text limit
            client.post("/v1/score", json={"text": SECRET_QUOTE, "explain": "yes"})  # mistyped
            client.post("/v1/score", content=f'{{"text": "{SECRET_QUOTE}"'.encode(),  # not JSON
                        headers={"Content-Type": "application/json"})
            client.post("/v1/score", content=SECRET_QUOTE.encode() * 20_000)  # over the body limit
            client.post("/v1/no-such-route", json={"text": SECRET_QUOTE})
            client.get("/v1/model")
            client.get("/metrics")
    raw_request(server, f"POST /v1/score HTTP/1.1\r\nHost: x\r\n{MARKER}\r\n\r\n".encode())
    raw_request(server, f"{SECRET_QUOTE}\r\n\r\n".encode())
    raw_request(server, (f"POST /v1/score HTTP/1.1\r\nHost: x\r\nX-API-Key: {API_KEYS[0]}\r\n"
                         f"Content-Length: 5000\r\n\r\n{{\"text\": \"{SECRET_QUOTE}").encode())


def wait_for_log(server: LiveServer, count: int) -> list[dict]:
    import time

    deadline = time.monotonic() + 10
    while True:
        entries = [json.loads(line) for line in server.log_lines() if line.startswith("{")]
        requests = [e for e in entries if e.get("event") == "request"]
        if len(requests) >= count or time.monotonic() > deadline:
            return entries
        time.sleep(0.1)


@pytest.fixture(scope="module")
def text_logging_server(tmp_path_factory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("log-text") / "server.log"
    server = start_server(log, {"STANCE_API_KEYS": ",".join(API_KEYS), "STANCE_LOG_TEXT": "1"})
    yield server
    stop_server(server)


def test_logs_hold_no_key_and_no_quote_text(live_server: LiveServer):
    send_every_kind_of_request(live_server)
    wait_for_log(live_server, 40)
    log = live_server.log_path.read_text(encoding="utf-8", errors="replace")
    for key in (*API_KEYS, "wrong-key-Quorvath"):
        assert key not in log
    assert "Quorvath" not in log and "blackmail" not in log
    for line in log.splitlines():  # every line is a JSON object, uvicorn's own included
        assert isinstance(json.loads(line), dict), line


def test_with_log_text_the_quote_is_logged_and_still_no_key(text_logging_server: LiveServer):
    send_every_kind_of_request(text_logging_server)
    entries = wait_for_log(text_logging_server, 40)
    log = text_logging_server.log_path.read_text(encoding="utf-8", errors="replace")
    assert any(MARKER in entry.get("body", "") for entry in entries if entry.get("path") == "/v1/score")
    for key in (*API_KEYS, "wrong-key-Quorvath"):
        assert key not in log


def test_with_cors_a_preflight_needs_no_key_and_a_request_still_does():
    """A browser's preflight cannot carry the key, and holds no data; the request after it needs one."""
    from fastapi.testclient import TestClient

    origin = "https://cms.example"
    settings = Settings(api_keys=API_KEYS, cors_origins=(origin,))
    with TestClient(create_app(settings)) as client:
        preflight = client.options("/v1/score", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-API-Key, Content-Type"})
        refused = client.post("/v1/score", json={"text": "We will sue."}, headers={"Origin": origin})
        answered = client.post("/v1/score", json={"text": "We will sue."},
                               headers={"Origin": origin, "X-API-Key": API_KEYS[0]})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == origin
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == origin
    assert answered.status_code == 200
