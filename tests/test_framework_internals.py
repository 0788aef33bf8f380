"""What the fast paths assume of SQLAlchemy's behaviour where no other test would notice a
change: each test here guards an entry of docs/UPGRADING.md."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from app.db.engine import make_engine, read_snapshot
from app.query import prepared
from app.query.engine import ListRequest, QueryEngine
from app.query.resources import INITIATIVES
from app.settings import Settings


def test_a_listener_sees_every_statement_and_turns_the_shortcut_off(own_engine: Engine) -> None:
    """prepared.fetch trusts Engine._has_events to say that a listener wants to see statements."""
    seen: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(own_engine, "before_cursor_execute", record)
    before = prepared.fast_path_runs
    with own_engine.connect() as connection:
        engine = QueryEngine(connection)
        engine.page(INITIATIVES, ListRequest(include=("metrics",), count=True, limit=3))
        engine.search("hydrogen", [], 5, 100)
    assert prepared.fast_path_runs == before
    assert len(seen) == 4  # the page, its embed, the count, the hits


@pytest.fixture
def one_connection_pool(seeded_engine: Engine) -> Iterator[Engine]:
    """An engine over the seeded database whose pool holds one connection: every checkout reuses it."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    engine = make_engine(Settings(database_url=url, db_pool_size=1, db_max_overflow=0), url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("ordinary", [False, True], ids=["fast", "stock_paths"])
def test_a_requests_snapshot_ends_when_its_connection_goes_back_to_the_pool(
    one_connection_pool: Engine, ordinary: bool
) -> None:
    """read_snapshot's SQLite BEGIN is sent behind SQLAlchemy's back: only the pool's reset on
    return (a rollback) ends it. On PostgreSQL the pool resets the isolation level and READ ONLY."""
    with one_connection_pool.connect() as connection:
        read_snapshot(connection, ordinary=ordinary)
        QueryEngine(connection).page(INITIATIVES, ListRequest(limit=1))
        driver = connection.connection.driver_connection
        assert driver is not None
        assert driver.in_transaction if connection.dialect.name == "sqlite" else driver.read_only
    with one_connection_pool.connect() as connection:
        assert connection.connection.driver_connection is driver  # the same connection, reused
        if connection.dialect.name == "sqlite":
            assert not driver.in_transaction
        else:
            assert not driver.read_only
            assert connection.get_isolation_level() == "READ COMMITTED"
