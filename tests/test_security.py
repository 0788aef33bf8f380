"""Security basics: headers on every response, CORS from settings, no internals in any body,
and the database password in no log line and no response, even when the database is down."""

import logging
import re
import socket

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from typer.testing import CliRunner

from app.api.security_headers import API_POLICY, DOCS_POLICY
from app.cli import cli
from app.db.engine import make_engine
from app.main import create_app
from app.settings import Settings, get_settings
from tests.conftest import Api, make_api

PASSWORD = "S3cret-Pa55word-never-logged"
LEAKS = ("Traceback", 'File "', "SELECT", "FROM ", ".py", "/work", "site-packages", "postgresql", PASSWORD)


def _closed_port() -> int:
    """A local port with nothing listening: a database that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _assert_secure_headers(response, policy: str = API_POLICY) -> None:  # type: ignore[no-untyped-def]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == policy


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/initiatives?limit=1", 200),
        ("GET", "/initiatives?format=csv", 200),
        ("GET", "/documents/24th-plenary-press-release/text", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/healthz", 200),
        ("GET", "/initiatives/no-such-initiative", 404),
        ("GET", "/no-such-path", 404),
        ("GET", "/initiatives?limit=0", 422),
        ("DELETE", "/initiatives", 405),
        ("GET", "/initiatives?q=" + "x" * 9000, 414),
    ],
)
def test_every_response_carries_the_security_headers(api: Api, method: str, url: str, status: int) -> None:
    response = api.request(method, url)
    assert response.status_code == status
    _assert_secure_headers(response)


def test_a_304_and_a_500_carry_them_too(portal, seeded_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    api = make_api(portal, seeded_engine, raise_app_exceptions=False)
    etag = api.get("/areas").headers["etag"]
    _assert_secure_headers(api.get("/areas", headers={"If-None-Match": etag}))

    def explode() -> None:
        raise RuntimeError("boom")

    api.app.add_api_route("/explode", explode)
    response = api.get("/explode")
    assert response.status_code == 500
    _assert_secure_headers(response)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_get_a_policy_that_lets_their_own_inline_code_run(api: Api, page: str) -> None:
    response = api.get(page)
    assert response.status_code == 200
    _assert_secure_headers(response, DOCS_POLICY)
    directives = dict(part.strip().split(" ", 1) for part in DOCS_POLICY.split(";"))
    html = response.text
    if re.search(r"<script>\s*\S", html):  # Swagger UI starts itself from an inline script
        assert "'unsafe-inline'" in directives["script-src"]
    if "<style" in html:  # ReDoc's page carries an inline style
        assert "'unsafe-inline'" in directives["style-src"]
    # Nothing from another origin may load, frame the page, receive a form or set a base.
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] in ("'self'", "'none'")
    assert "'unsafe-eval'" not in DOCS_POLICY
    assert "http" not in DOCS_POLICY


def test_any_origin_may_read_by_default(api: Api) -> None:
    response = api.get("/initiatives?limit=1", headers={"Origin": "https://newsroom.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "link", "retry-after"} <= exposed
    assert "access-control-allow-credentials" not in response.headers


def test_a_preflight_allows_reads_only(api: Api) -> None:
    read = api.request(
        "OPTIONS",
        "/initiatives",
        headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"},
    )
    assert read.status_code == 200
    assert read.headers["access-control-allow-methods"] == "GET, HEAD"
    write = api.request(
        "OPTIONS",
        "/initiatives",
        headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "DELETE"},
    )
    assert write.status_code == 400


def test_allowed_origins_come_from_settings(portal, seeded_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=seeded_engine.url.render_as_string(hide_password=False),
        cors_allow_origins=["https://dashboard.example"],
    )
    api = Api(portal, create_app(settings, seeded_engine))
    allowed = api.get("/areas", headers={"Origin": "https://dashboard.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://dashboard.example"
    other = api.get("/areas", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def _raising(app: FastAPI, path: str, error: Exception) -> None:
    def endpoint() -> None:
        raise error

    app.add_api_route(path, endpoint)


def test_no_body_ever_shows_a_stack_trace_sql_or_a_path(portal, seeded_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    api = make_api(portal, seeded_engine, raise_app_exceptions=False)
    statement = f"SELECT secret FROM /work/app/db.py WHERE password = '{PASSWORD}'"
    _raising(api.app, "/runtime", RuntimeError(f'File "/work/app/main.py", line 1: {statement}'))
    _raising(api.app, "/sql", ProgrammingError(statement, {"password": PASSWORD}, Exception("syntax error")))
    _raising(api.app, "/down", OperationalError(statement, {}, Exception(f"password={PASSWORD} refused")))
    for path, status in (("/runtime", 500), ("/sql", 500), ("/down", 503)):
        response = api.get(path)
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        for leak in LEAKS:
            assert leak not in response.text, (path, leak)


def test_the_database_password_is_never_logged_when_the_database_is_down(
    portal,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+psycopg://coop:{PASSWORD}@127.0.0.1:{_closed_port()}/coop"
    settings = Settings(database_url=url, db_connect_timeout_s=1)
    api = Api(portal, create_app(settings, make_engine(settings)), raise_app_exceptions=False)
    with caplog.at_level(logging.DEBUG):
        responses = [api.get(path) for path in ("/initiatives", "/initiatives/1", "/search?q=port", "/readyz")]
    assert [r.status_code for r in responses] == [503, 503, 503, 503]
    assert api.get("/healthz").status_code == 200
    assert "database unavailable" in caplog.text  # it is logged, without the secret
    for response in responses:
        assert response.headers["retry-after"]
        assert PASSWORD not in response.text
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(api.app.state.engine)


def test_the_cli_does_not_print_the_password_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://coop:{PASSWORD}@127.0.0.1:{_closed_port()}/coop")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT_S", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
    assert PASSWORD not in result.output


def test_a_refused_head_is_logged_with_its_request_id(api: Api) -> None:
    response = api.get("/initiatives", params={"q": "x" * 9000}, headers={"X-Request-ID": "limits-test-1"})
    assert response.status_code == 414
    assert response.headers["x-request-id"] == "limits-test-1"
    assert response.json()["request_id"] == "limits-test-1"
