"""The connection pool is bounded: a request waits at most db_pool_timeout_s for a connection
(then a 503 problem with Retry-After), and a streamed export takes one connection, not two."""

import asyncio
import time
from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine

from app.api.pool_gate import PoolGate
from app.db.engine import make_engine
from app.main import create_app
from app.settings import Settings
from tests.conftest import Api


@pytest.fixture
def one_connection(seeded_engine: Engine) -> Iterator[tuple[Settings, Engine]]:
    url = seeded_engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, db_pool_size=1, db_max_overflow=0, db_pool_timeout_s=1)
    engine = make_engine(settings)
    yield settings, engine
    engine.dispose()


def test_an_export_streams_from_the_request_connection(
    portal: BlockingPortal, one_connection: tuple[Settings, Engine]
) -> None:
    api = Api(portal, create_app(*one_connection), raise_app_exceptions=False)
    for path in ("/metrics?format=csv", "/milestones?format=ndjson"):
        started = time.monotonic()
        response = api.get(path)
        assert response.status_code == 200, response.text
        assert len(response.text.splitlines()) > 10  # the rows, not a body cut off after the headers
        assert time.monotonic() - started < 1, "waited for a second connection"
    assert api.get("/initiatives?limit=1").status_code == 200


def test_a_request_waits_no_longer_than_the_pool_timeout(
    portal: BlockingPortal, one_connection: tuple[Settings, Engine]
) -> None:
    settings, engine = one_connection
    api = Api(portal, create_app(settings, engine), raise_app_exceptions=False)
    with engine.connect():  # the only connection, taken
        started = time.monotonic()
        response = api.get("/initiatives")
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.headers["content-type"] == "application/problem+json"
    assert settings.db_pool_timeout_s <= waited < settings.db_pool_timeout_s + 2
    assert api.get("/initiatives").status_code == 200


def test_more_clients_than_threads_and_connections_are_all_answered(
    portal: BlockingPortal, seeded_engine: Engine
) -> None:
    """80 at once, 40 worker threads, 1 connection, a generous pool timeout: if a checkout
    blocked a thread, no thread would be left for the request holding the connection, and
    the queue would only move on as checkouts timed out (503s)."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, db_pool_size=1, db_max_overflow=0, db_pool_timeout_s=20)
    engine = make_engine(settings)
    api = Api(portal, create_app(settings, engine), raise_app_exceptions=False)

    async def burst() -> list[int]:
        responses = await asyncio.gather(*(api.client.get("/initiatives/loop-co-operation-zone") for _ in range(80)))
        return [response.status_code for response in responses]

    started = time.monotonic()
    statuses = portal.call(burst)
    engine.dispose()
    assert statuses.count(200) == len(statuses), {status: statuses.count(status) for status in set(statuses)}
    assert time.monotonic() - started < settings.db_pool_timeout_s


def test_the_pool_gate_is_built_with_the_app_and_sized_like_the_pool(
    portal: BlockingPortal, one_connection: tuple[Settings, Engine]
) -> None:
    settings, engine = one_connection
    app = create_app(settings.model_copy(update={"db_pool_size": 3, "db_max_overflow": 2}), engine)
    gate = app.state.pool_gate  # before any request
    assert isinstance(gate, PoolGate)
    assert (gate.slots, gate.timeout_s) == (5, settings.db_pool_timeout_s)
    assert Api(portal, app).get("/initiatives?limit=1").status_code == 200
    assert app.state.pool_gate is gate  # the requests used it, and built no other
