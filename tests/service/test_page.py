"""The page for reporters as the app serves it: files, headers, limits filled in, nothing from elsewhere.

What the page does in a browser is tested in test_page_browser.py.
"""

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from quote_stance.model.context import CONTEXT_LIMIT
from quote_stance.service.app import create_app
from quote_stance.service.routes.page import ASSETS
from quote_stance.service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "service" / "static"
KEY = "page-test-key"


@pytest.fixture(scope="module")
def client():
    settings = Settings(api_keys=(KEY,), max_batch=7, max_text_chars=5000, max_body_bytes=65536)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def open_client():
    with TestClient(create_app(Settings())) as client:
        yield client


def test_the_page_is_served_at_the_root_without_a_key(client):
    answer = client.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Quote stance</h1>" in answer.text
    # ...while the API it calls still needs one
    assert client.post("/v1/score", json={"text": "We will sue."}).status_code == 401


def test_the_service_limits_and_key_setting_are_filled_in(client, open_client):
    page = client.get("/").text
    assert "%%" not in page
    assert 'data-max-batch="7"' in page
    assert 'data-max-text-chars="5000"' in page
    assert 'data-max-body-bytes="65536"' in page
    assert f'data-max-context-chars="{CONTEXT_LIMIT}"' in page  # the model's, the same for every setting
    assert 'data-auth="required"' in page
    assert 'data-auth="open"' in open_client.get("/").text


def test_the_page_allows_no_other_origin(client):
    headers = client.get("/").headers
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'"
    for directive in ("script-src", "style-src", "connect-src"):
        assert policy[directive] == "'self'", directive
    assert policy["frame-ancestors"] == "'none'"
    assert headers["x-content-type-options"] == "nosniff"


def referenced_assets() -> set[str]:
    """Files that index.html and the modules it loads ask for."""
    names = set(re.findall(r'(?:src|href)="static/([^"]+)"', (STATIC / "index.html").read_text()))
    for script in STATIC.glob("*.js"):
        names |= set(re.findall(r'from "\./([^"]+)"', script.read_text()))
    return names


def test_every_file_the_page_uses_is_served_with_its_type(client):
    used = referenced_assets()
    assert {"page.css", "main.js"} <= used
    assert used <= set(ASSETS), f"not served: {used - set(ASSETS)}"
    for name in ASSETS:
        answer = client.get(f"/static/{name}")
        assert answer.status_code == 200, name
        assert answer.content == (STATIC / name).read_bytes()
        expected = "text/css" if name.endswith(".css") else "text/javascript"
        assert answer.headers["content-type"].startswith(expected), name


def test_every_static_file_is_served_and_shipped():
    files = {path.name for path in STATIC.iterdir() if path.is_file()}
    assert files == set(ASSETS) | {"index.html"}
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["quote_stance.service"]
    for name in files:
        assert any(fnmatch(f"static/{name}", pattern) for pattern in globs), f"{name} is not in pyproject's package-data"


# A name, not an address: what document.createElementNS needs to draw SVG (corrections.js).
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def test_nothing_is_fetched_from_another_host():
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8").replace(f'"{SVG_NAMESPACE}"', '""')
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path.name
        assert "@import" not in text and "url(" not in text, path.name


def test_an_unchanged_file_is_answered_304(client):
    first = client.get("/static/main.js")
    again = client.get("/static/main.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("path", ["/static/nope.js", "/static/index.html", "/static/..%2Fapp.py", "/static/%2e%2e/settings.py"])
def test_only_the_listed_files_are_served(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


def test_the_page_is_not_part_of_the_api_schema(client):
    paths = client.get("/openapi.json", headers={"X-API-Key": KEY}).json()["paths"]
    assert "/" not in paths and not any(path.startswith("/static") for path in paths)
