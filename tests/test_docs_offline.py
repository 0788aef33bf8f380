"""/docs and /redoc work with no internet: every asset they reference is served by the app
itself, and nothing on the pages points the browser at another host."""

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.conftest import Api

DOC_PAGES = ("/docs", "/redoc")
# src=, href=, and url(...) in CSS: the things a browser fetches.
_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""")
_ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>)]+")


def references(text: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(text)]


def external(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != "testserver"]


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_page_html_names_no_other_host(api: Api, page: str) -> None:
    response = api.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert _ABSOLUTE_URL.findall(response.text) == []


@pytest.mark.parametrize("page", DOC_PAGES)
def test_every_asset_a_doc_page_references_is_served(api: Api, page: str) -> None:
    html = api.get(page).text
    assets = [urljoin(page, url) for url in references(html)]
    assert any(a.endswith(".js") for a in assets), assets
    assert any(a.endswith(".png") for a in assets), "the favicon is served too"
    for asset in assets:
        response = api.get(asset)
        assert response.status_code == 200, asset
        assert response.content, asset


def test_stylesheets_fetch_nothing_from_another_host(api: Api) -> None:
    html = api.get("/docs").text
    stylesheets = [u for u in references(html) if u.endswith(".css")]
    assert stylesheets
    for stylesheet in stylesheets:
        css = api.get(stylesheet).text
        fetched = references(css) + re.findall(r"@import\s+[\"']([^\"']+)", css)
        # data: URIs (inline SVG icons) are fine; their xmlns is a name, not a fetch.
        assert external([u for u in fetched if not u.startswith("data:")]) == []


@pytest.mark.parametrize("page", DOC_PAGES)
def test_doc_pages_forbid_the_browser_any_other_host(api: Api, page: str) -> None:
    # The bundles are third-party JavaScript (ReDoc asks a CDN for a logo): the Content
    # Security Policy is what guarantees the browser loads nothing from elsewhere.
    policy = api.get(page).headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        sources = directives[directive].split()
        assert all(s in ("'self'", "'unsafe-inline'", "data:", "blob:") for s in sources), directive


def test_swagger_ui_does_not_ask_the_public_validator(api: Api) -> None:
    assert '"validatorUrl": null' in api.get("/docs").text


def test_the_openapi_document_stays_at_its_default_url(api: Api) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")
