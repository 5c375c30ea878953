"""/v1/score's quick path answers exactly as FastAPI's own handling of the route would.

Two apps are built with the same settings: the service as it is, and the same service with
the route's class swapped back to FastAPI's `APIRoute`. Every request goes through each
app's whole ASGI stack, and the answers (status, content type, body) must be the same.
"""

import asyncio
import json

import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from service.app import create_app
from service.routes import score as score_routes
from service.settings import Settings

SETTINGS = Settings(max_text_chars=200, api_keys=("k3y",))
QUOTE = "We will not let Washington bully our city into doing its immigration enforcement for it."
JSON = "application/json"


class Apps:
    """The service and its FastAPI-only twin, started in one event loop for the whole module."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loop = asyncio.new_event_loop()
        self.quick = create_app(SETTINGS)
        with monkeypatch.context() as patch:
            patch.setattr(score_routes, "quick_score_route", lambda service, model: APIRoute)
            self.plain = create_app(SETTINGS)
        self._lifespans = [app.router.lifespan_context(app) for app in (self.quick, self.plain)]
        for lifespan in self._lifespans:
            self.loop.run_until_complete(lifespan.__aenter__())
        self.handled_by_fastapi = 0
        original = APIRoute.handle

        async def counting(route, scope, receive, send):
            if scope["path"] == "/v1/score":
                self.handled_by_fastapi += 1
            await original(route, scope, receive, send)

        monkeypatch.setattr(APIRoute, "handle", counting)

    def close(self) -> None:
        for lifespan in self._lifespans:
            self.loop.run_until_complete(lifespan.__aexit__(None, None, None))
        self.loop.close()

    def both(self, body: bytes, content_type: str | None = JSON, method: str = "POST",
             chunks: int = 1) -> tuple[tuple, tuple, bool]:
        """Each app's (status, content type, body), and whether the quick app handed the
        request to FastAPI."""
        before = self.handled_by_fastapi
        quick = self.loop.run_until_complete(_call(self.quick, method, body, content_type, chunks))
        handed_over = self.handled_by_fastapi > before
        plain = self.loop.run_until_complete(_call(self.plain, method, body, content_type, chunks))
        return quick, plain, handed_over


async def _call(app, method: str, body: bytes, content_type: str | None, chunks: int) -> tuple:
    headers = [(b"host", b"test"), (b"x-api-key", b"k3y")]
    if content_type is not None:
        headers.append((b"content-type", content_type.encode("latin-1")))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": "/v1/score", "raw_path": b"/v1/score", "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {},
    }
    size = max(1, -(-len(body) // chunks))
    pieces = [body[i: i + size] for i in range(0, len(body), size)] or [b""]
    messages = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]
    answer: dict = {"body": b""}

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["type"] = dict(message["headers"]).get(b"content-type")
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["type"], answer["body"]


@pytest.fixture(scope="module")
def apps():
    patch = pytest.MonkeyPatch()
    made = Apps(patch)
    yield made
    made.close()
    patch.undo()


def test_a_plain_request_is_answered_quickly_and_the_same(apps):
    quick, plain, handed_over = apps.both(json.dumps({"text": QUOTE}).encode())
    assert not handed_over
    assert quick == plain
    assert quick[0] == 200 and json.loads(quick[2])["stance"] in ("support", "oppose", "neutral")


CASES = {
    "explain": (json.dumps({"text": QUOTE, "explain": True}).encode(), JSON),
    "explain as a string": (b'{"text": "a quote", "explain": "yes"}', JSON),
    "blank text": (b'{"text": "  \\n "}', JSON),
    "text over the limit": (json.dumps({"text": "x" * 201}).encode(), JSON),
    "text not a string": (b'{"text": 12}', JSON),
    "no text": (b'{"quote": "a quote"}', JSON),
    "not JSON": (b'{"text": "a quote"', JSON),
    "a JSON list": (b'[{"text": "a quote"}]', JSON),
    "a JSON string": (b'"a quote"', JSON),
    "bytes that are not UTF-8": (b'{"text": "caf\xe9"}', JSON),
    "empty body": (b"", JSON),
    "an integer of 5,000 digits beside the text": (b'{"text": "a quote", "n": ' + b"9" * 5000 + b"}", JSON),
    "nesting deeper than the parser goes": (b'{"text": "a quote", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", JSON),
    "text/plain": (b'{"text": "a quote"}', "text/plain"),
    "no content type": (b'{"text": "a quote"}', None),
    "JSON with a charset": (b'{"text": "a quote"}', "application/json; charset=utf-8"),
    "a +json type": (b'{"text": "a quote"}', "application/vnd.api+json"),
}


@pytest.mark.parametrize("name", CASES)
def test_other_requests_go_to_fastapi_and_get_its_answer(apps, name):
    body, content_type = CASES[name]
    quick, plain, handed_over = apps.both(body, content_type)
    assert handed_over
    assert quick == plain


@pytest.mark.parametrize("body", [
    b'{"text": "a quote", "text": "another quote"}',  # the last value wins, as with json.loads
    b'{"text": "half an emoji \\ud83d"}',  # a lone surrogate, read as U+FFFD
    b'{"text": "a quote", "explain": false, "extra": {"nested": [1, 2.5, null]}}',
    b'\xef\xbb\xbf{"text": "after a byte order mark"}',  # json.loads reads bytes with one as UTF-8
    b'{"text": "a quote", "score": NaN}',  # json.loads takes NaN
])
def test_odd_but_valid_bodies_are_answered_quickly_and_the_same(apps, body):
    quick, plain, handed_over = apps.both(body)
    assert not handed_over
    assert quick == plain and quick[0] == 200


def test_a_body_in_several_chunks(apps):
    quick, plain, handed_over = apps.both(json.dumps({"text": QUOTE}).encode(), chunks=7)
    assert not handed_over and quick == plain and quick[0] == 200


def test_other_methods(apps):
    quick, plain, handed_over = apps.both(b"", content_type=None, method="GET")
    assert handed_over and quick == plain and quick[0] == 405


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.text(max_size=250), st.integers(), st.none()),
    explain=st.one_of(st.none(), st.booleans(), st.integers(0, 1), st.text(max_size=3)),
    extra=st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.floats(), st.text(max_size=5)), max_size=2),
)
def test_any_body_gets_the_answer_fastapi_gives(apps, text, explain, extra):
    body = dict(extra)
    if text is not None:
        body["text"] = text
    if explain is not None:
        body["explain"] = explain
    quick, plain, _ = apps.both(json.dumps(body).encode())
    assert quick == plain
