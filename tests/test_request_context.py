"""Every request has an id (the client's X-Request-ID if sane, else a new one), echoed in
the response and its problem body, and one structured log line with its outcome."""

import json
import logging
import os
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from app.api.request_context import _RequestIds
from app.logs import JsonFormatter
from app.main import create_app
from app.settings import Settings
from tests.conftest import Api, make_api

LOGGER = "app.requests"


@pytest.fixture
def request_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        yield caplog


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


@pytest.mark.parametrize("request_id", ["abc-123", "trace.7_x", "A" * 128])
def test_a_sane_request_id_is_echoed(api: Api, request_id: str) -> None:
    response = api.get("/healthz", headers={"X-Request-ID": request_id})
    assert response.headers["X-Request-ID"] == request_id


@pytest.mark.parametrize("request_id", ["A" * 129, "has space", "<script>", "semi;colon", ""])
def test_an_unsafe_request_id_is_replaced_by_a_new_one(api: Api, request_id: str) -> None:
    echoed = api.get("/healthz", headers={"X-Request-ID": request_id}).headers["X-Request-ID"]
    assert echoed != request_id
    assert len(echoed) == 32


def test_without_a_request_id_each_request_gets_its_own(api: Api) -> None:
    ids = {api.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    assert all(len(request_id) == 32 for request_id in ids)


def test_new_ids_differ_across_processes_and_after_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    ids, other_process = _RequestIds(), _RequestIds()
    first, second = ids.next(), ids.next()
    assert first != second and first[:16] == second[:16]
    assert other_process.next()[:16] != first[:16]
    monkeypatch.setattr(os, "getpid", lambda: -7)  # as a forked child sees a new pid
    assert ids.next()[:16] != first[:16]


def test_a_problem_names_the_request_id_of_its_response(api: Api) -> None:
    response = api.get("/initiatives?limit=0", headers={"X-Request-ID": "client-7"})
    assert response.status_code == 422
    assert response.headers.get_list("X-Request-ID") == ["client-7"]
    assert response.json()["request_id"] == "client-7"


def test_an_unexpected_failure_keeps_its_request_id(portal, seeded_engine) -> None:  # type: ignore[no-untyped-def]
    api = make_api(portal, seeded_engine, raise_app_exceptions=False)
    app: FastAPI = api.app

    def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode", explode)
    response = api.get("/explode", headers={"X-Request-ID": "incident-42"})
    assert response.status_code == 500
    assert response.headers.get_list("X-Request-ID") == ["incident-42"]
    assert response.json()["request_id"] == "incident-42"


def test_each_request_logs_one_line_with_its_outcome(api: Api, request_logs: pytest.LogCaptureFixture) -> None:
    api.get("/initiatives", params={"area": "healthcare"}, headers={"X-Request-ID": "log-me"})
    [record] = [r for r in request_records(request_logs) if getattr(r, "request_id", None) == "log-me"]
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.path == "/initiatives"  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert isinstance(record.duration_ms, float)  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


def test_errors_are_logged_with_their_status(api: Api, request_logs: pytest.LogCaptureFixture) -> None:
    api.get("/no-such-path", headers={"X-Request-ID": "lost"})
    [record] = [r for r in request_records(request_logs) if getattr(r, "request_id", None) == "lost"]
    assert record.status == 404  # type: ignore[attr-defined]


def test_a_log_line_is_one_json_object_with_the_request_fields(
    api: Api, request_logs: pytest.LogCaptureFixture
) -> None:
    api.get("/healthz", headers={"X-Request-ID": "as-json"})
    [record] = [r for r in request_records(request_logs) if getattr(r, "request_id", None) == "as-json"]
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "info"
    assert entry["logger"] == LOGGER
    assert {k: entry[k] for k in ("method", "path", "status", "request_id")} == {
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "request_id": "as-json",
    }
    assert entry["duration_ms"] >= 0


def test_the_log_level_comes_from_the_settings() -> None:
    root = logging.getLogger()
    before = root.level
    try:
        create_app(Settings(database_url="sqlite://", log_level="warning"))
        assert root.level == logging.WARNING
        create_app(Settings(database_url="sqlite://", log_level="debug"))
        assert root.level == logging.DEBUG
    finally:
        root.setLevel(before)
