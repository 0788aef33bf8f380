"""The connection pool is bounded: a request waits db_pool_timeout_s for a connection (then a
503 problem with Retry-After), and a streamed export takes one connection, not two. These tests
assert what happens; bench/pool.py measures how long it takes."""

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
    api: Api, portal: BlockingPortal, one_connection: tuple[Settings, Engine]
) -> None:
    """With one connection in the pool, an export that wanted a second one would wait out the
    pool timeout and fail part-way: each body must be whole (the same as from a roomy pool) and
    the connection back in the pool once it is sent. (How long an export takes: bench/pool.py.)"""
    settings, engine = one_connection
    narrow = Api(portal, create_app(settings, engine), raise_app_exceptions=False)
    for path in ("/metrics?format=csv", "/milestones?format=ndjson"):
        response = narrow.get(path)
        assert response.status_code == 200, response.text
        assert response.text == api.get(path).text
        assert len(response.text.splitlines()) > 10  # the rows, not a body cut off after the headers
        assert engine.pool.checkedout() == 0
    assert narrow.get("/initiatives?limit=1").status_code == 200


def test_a_request_facing_a_held_pool_gets_a_503_once_the_pool_timeout_passes(
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
    # It waited for the pool (a lower bound a slow machine cannot break); the upper bound only
    # tells a hang from a slow machine. How long it waits, measured: bench/pool.py.
    assert settings.db_pool_timeout_s <= waited < settings.db_pool_timeout_s + 30
    assert engine.pool.checkedout() == 0
    assert api.get("/initiatives").status_code == 200


def test_more_clients_than_threads_and_connections_are_all_answered(
    portal: BlockingPortal, seeded_engine: Engine
) -> None:
    """80 at once, 40 worker threads, 1 connection, a generous pool timeout: if a checkout
    blocked a thread, no thread would be left for the request holding the connection, and
    the queue would only move on as checkouts timed out (503s). (The burst's time: bench/pool.py.)"""
    url = seeded_engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, db_pool_size=1, db_max_overflow=0, db_pool_timeout_s=20)
    engine = make_engine(settings)
    api = Api(portal, create_app(settings, engine), raise_app_exceptions=False)

    async def burst() -> list[int]:
        responses = await asyncio.gather(*(api.client.get("/initiatives/loop-co-operation-zone") for _ in range(80)))
        return [response.status_code for response in responses]

    try:
        statuses = portal.call(burst)
        assert statuses.count(200) == len(statuses), {status: statuses.count(status) for status in set(statuses)}
        assert engine.pool.checkedout() == 0
    finally:
        engine.dispose()


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
