"""Writing is where security starts: every write needs a live key of the right scope, keys are
stored hashed and never shown again, failed attempts are slowed down, bodies are bounded and must
be JSON, browsers of other origins cannot write, and the audit cannot be changed, even in SQL."""

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.export.datapackage import export_datapackage
from app.main import create_app
from app.models import ApiKey
from app.settings import Settings
from tests.conftest import Api, Curation
from tests.helpers import assert_problem

WHO = ("none", "malformed", "unknown", "revoked", "expired", "curate", "admin")
REFUSED = {"none", "malformed", "unknown", "revoked", "expired"}


def _headers(curation: Curation, who: str) -> dict[str, str]:
    if who == "none":
        return {}
    if who == "malformed":
        return {"Authorization": "Bearer not-a-key"}
    if who == "unknown":
        return {"Authorization": "Bearer coop_0123456789ab_" + "x" * 43}
    return curation.auth(who)


def write_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("post", "patch", "delete", "put")
    ]


def _concrete(path: str) -> str:
    return re.sub(r"\{statement_id\}", "1", re.sub(r"\{key\}", "no-such-record", path))


@pytest.fixture(scope="module")
def operations(curation: Curation) -> list[tuple[str, str]]:
    return write_operations(curation.api.get("/openapi.json").json())


def test_every_write_operation_declares_the_key_scheme(curation: Curation) -> None:
    document = curation.api.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["curatorKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["curatorKey"]["description"],
    }
    operations = write_operations(document)
    assert len(operations) >= 18
    for method, path in operations:
        assert document["paths"][path][method.lower()]["security"] == [{"curatorKey": []}], (method, path)
        assert "401" in document["paths"][path][method.lower()]["responses"]
    reads = [item["get"] for path, item in document["paths"].items() if "get" in item and path != "/audit"]
    assert all("security" not in operation for operation in reads)


@pytest.mark.parametrize("who", WHO)
def test_the_security_matrix(curation: Curation, operations: list[tuple[str, str]], who: str) -> None:
    """Every write operation x every kind of caller: refused callers get a 401 with a challenge,
    right keys pass authentication (and then meet the body's own checks)."""
    for method, path in operations:
        content_type = "application/merge-patch+json" if method == "PATCH" else "application/json"
        headers = {**_headers(curation, who), "Content-Type": content_type}
        response = curation.api.request(method, _concrete(path), content=b"{}", headers=headers)
        where = f"{who}: {method} {path}"
        if who in REFUSED:
            problem = assert_problem(response, 401)
            assert response.headers["www-authenticate"].startswith('Bearer realm="coop"'), where
            assert curation.keys["revoked"] not in str(problem)
        else:
            assert response.status_code in (404, 409, 412, 422, 428), f"{where}: {response.status_code} {response.text}"
    audit = curation.api.get("/audit", headers=_headers(curation, who))
    expected = 401 if who in REFUSED else 403 if who == "curate" else 200
    assert audit.status_code == expected, f"{who}: GET /audit {audit.text}"
    if expected == 403:
        assert 'error="insufficient_scope"' in audit.headers["www-authenticate"]


def test_keys_and_the_audit_stay_out_of_the_published_export(curation: Curation, tmp_path: Path) -> None:
    export_datapackage(curation.engine, tmp_path)
    exported = {path.name for path in tmp_path.iterdir()}
    assert "initiative.csv" in exported
    assert not {"api_key.csv", "audit_entry.csv"} & exported


def test_keys_are_kept_as_hashes_only(curation: Curation) -> None:
    with curation.engine.connect() as connection:
        stored = [tuple(map(str, row)) for row in connection.execute(select(ApiKey))]
    for key in curation.keys.values():
        assert not any(key in value for row in stored for value in row)
        assert any(key.split("_")[1] in row for row in stored)  # the public prefix names it


def test_keys_never_reach_the_logs_problems_or_audit(
    curation: Curation, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    bodies = []
    for who in ("curate", "admin", "revoked", "expired"):
        headers = {**curation.auth(who), "Content-Type": "application/json", "X-Request-ID": "scan-1"}
        for method, path, content in (
            ("POST", "/initiatives/no-such-initiative/status", b"{}"),
            ("POST", "/documents", b'{"slug": '),
            ("GET", "/audit", None),
        ):
            bodies.append(curation.api.request(method, path, content=content, headers=headers).text)
    captured = capfd.readouterr()
    text_seen = "\n".join([caplog.text, captured.out, captured.err, *bodies, str([r.__dict__ for r in caplog.records])])
    assert "scan-1" in text_seen  # the logs were captured
    for key in curation.keys.values():
        assert key not in text_seen
        assert key.split("_", 2)[2] not in text_seen


def test_failed_authentication_is_slowed_down(curation: Curation, portal: BlockingPortal) -> None:
    url = curation.engine.url.render_as_string(hide_password=False)
    api = Api(
        portal, create_app(Settings(database_url=url, auth_failure_limit=3, auth_failure_window_s=60), curation.engine)
    )
    bad = {"Authorization": "Bearer coop_0123456789ab_wrong", "Content-Type": "application/json"}
    for _ in range(3):
        assert_problem(api.request("POST", "/documents", content=b"{}", headers=bad), 401)
    limited = api.request("POST", "/documents", content=b"{}", headers=bad)
    assert_problem(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # While limited, the client is refused before its key is even looked at.
    good = {**curation.auth("curate"), "Content-Type": "application/json"}
    assert_problem(api.request("POST", "/documents", content=b"{}", headers=good), 429)
    assert api.get("/initiatives?limit=1").status_code == 200  # reads are not limited


def test_bodies_must_be_json_and_bounded(curation: Curation, portal: BlockingPortal) -> None:
    url = curation.engine.url.render_as_string(hide_password=False)
    api = Api(portal, create_app(Settings(database_url=url, max_body_bytes=2048), curation.engine))
    headers = {**curation.auth("curate"), "Content-Type": "application/json"}
    big = b'{"text": "' + b"x" * 4096 + b'"}'
    assert_problem(api.request("POST", "/documents", content=big, headers=headers), 413)
    form = {**curation.auth("curate"), "Content-Type": "application/x-www-form-urlencoded"}
    assert_problem(api.request("POST", "/documents", content=b"slug=x", headers=form), 415)
    unlabelled = {k: v for k, v in headers.items() if k != "Content-Type"}
    assert_problem(api.request("POST", "/documents", content=b"{}", headers=unlabelled), 415)
    problem = assert_problem(api.request("POST", "/documents", content=b'{"slug": ', headers=headers), 422)
    assert "JSON" in problem["detail"]
    assert_problem(api.request("POST", "/documents", content=b'{"slug": "\xff"}', headers=headers), 422)
    document = b'{"slug": "nul", "title": "t", "issuer": "i", "published_on": "2025-01-01", "text": "%s"}'
    for unstorable in (b"a\\u0000b", b"a\\ud800b"):  # NUL (PostgreSQL refuses it), a lone surrogate (not UTF-8)
        problem = assert_problem(api.request("POST", "/documents", content=document % unstorable, headers=headers), 422)
        assert "NUL" in problem["detail"] or "surrogate" in problem["detail"]


def test_cross_origin_writes_are_refused_reads_allowed(curation: Curation) -> None:
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    refused = curation.api.request(
        "OPTIONS", "/documents", headers={**preflight, "Access-Control-Request-Headers": "authorization"}
    )
    assert refused.status_code == 400
    assert "POST" not in refused.headers.get("access-control-allow-methods", "")
    read = curation.api.request("OPTIONS", "/documents", headers={**preflight, "Access-Control-Request-Method": "GET"})
    assert read.status_code == 200


def test_the_database_refuses_to_change_the_audit(curation: Curation) -> None:
    notice = curation.api.request(
        "POST", "/documents", json={"slug": "x"}, headers=curation.auth("curate")
    )  # a refused write: no audit row
    assert notice.status_code == 422
    with curation.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_entry (recorded_at, key_name, key_prefix, method, path, record_type, record_id, "
                "after) VALUES (CURRENT_TIMESTAMP, 'test', 'test', 'POST', '/x', 'document', 1, '{}')"
            )
        )
    statements = ["UPDATE audit_entry SET method = 'GET'", "DELETE FROM audit_entry"]
    if curation.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_entry")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), curation.engine.begin() as connection:
            connection.execute(text(statement))
    with curation.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entry WHERE method = 'GET'")).scalar_one() == 0
