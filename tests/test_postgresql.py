"""PostgreSQL as the scale-out engine: the driver, the pool sized from settings, and a
statement timeout (through the API, on both engines: tests/test_statement_timeout.py)."""

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.settings import Settings
from tests.conftest import SEED_DIR

TIMEOUT_MS = 300


@pytest.fixture
def postgres_url(database_url_factory) -> str:  # type: ignore[no-untyped-def]
    return database_url_factory("postgresql")


@pytest.fixture
def impatient_engine(postgres_url: str) -> Iterator[Engine]:
    """A seeded PostgreSQL database whose engine cancels statements after TIMEOUT_MS."""
    settings = Settings(database_url=postgres_url, db_statement_timeout_ms=TIMEOUT_MS, db_pool_size=3)
    engine = make_engine(settings, postgres_url)
    upgrade(engine)
    load_all(engine, SEED_DIR)
    yield engine
    engine.dispose()


def test_postgresql_uses_psycopg_3_and_a_pool_sized_from_settings(postgres_url: str) -> None:
    settings = Settings(database_url=postgres_url, db_pool_size=7, db_max_overflow=2)
    engine = make_engine(settings, postgres_url)
    try:
        assert engine.dialect.driver == "psycopg"
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
        assert engine.pool._max_overflow == 2  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_the_apis_connections_never_jit_compile_a_query(postgres_url: str) -> None:
    """The as-of filters' estimates would make the planner JIT-compile pages that run in
    milliseconds (0.7 s of compiling for a 15 ms page, docs/PERFORMANCE.md)."""
    engine = make_engine(Settings(database_url=postgres_url), postgres_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        engine.dispose()


@pytest.mark.slow  # seeds its own PostgreSQL database
def test_the_statement_timeout_cancels_a_long_query(impatient_engine: Engine) -> None:
    with impatient_engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == f"{TIMEOUT_MS}ms"
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(30)"))
    assert time.monotonic() - started < 10  # cancelled, not waited out


@pytest.mark.slow  # seeds its own PostgreSQL database
def test_a_search_is_planned_for_its_words_every_time_while_pages_are_prepared(impatient_engine: Engine) -> None:
    """psycopg prepares a statement on the server after a few runs, and PostgreSQL may then use
    one generic plan for every value: fine for a page, wrong for a search (a rare word wants the
    GIN index, a common one a walk of the key: 4.6 s against 71 ms at 1M)."""
    from app.db.engine import read_snapshot
    from app.query.engine import ListRequest, QueryEngine
    from app.query.resources import INITIATIVES

    with impatient_engine.connect() as connection:
        read_snapshot(connection)
        engine = QueryEngine(connection)
        for word in ["hydrogen", "ambulances", "zeppelin", "Nansha", "trial", "water", "talent", "port"]:
            engine.search(word, [], 20, 5_000)
            engine.page(INITIATIVES, ListRequest(filters={"area": ["healthcare"]}, limit=5))
        prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
    assert any("FROM initiative" in statement for statement in prepared)  # the control: pages are
    assert not any("ts_rank_cd" in statement for statement in prepared)


@pytest.mark.slow  # seeds its own PostgreSQL database
def test_the_history_the_changes_and_as_of_pages_are_planned_for_their_values(impatient_engine: Engine) -> None:
    """Their best plans depend on the document, the initiative, the dates and the LIMIT; a generic
    plan, once psycopg prepares them, made /changes 48 ms against 13 ms at 1M (docs/PERFORMANCE.md)."""
    from datetime import date

    from app.db.engine import read_snapshot
    from app.query.changes import ChangesRequest, changes
    from app.query.engine import ListRequest, QueryEngine
    from app.query.history import HistoryRequest, history
    from app.query.resources import INITIATIVES

    with impatient_engine.connect() as connection:
        read_snapshot(connection)
        engine = QueryEngine(connection)
        for _ in range(8):  # more than psycopg's prepare_threshold (5)
            changes(connection, ChangesRequest(limit=5))
            history(connection, "building-technology-research-institute", HistoryRequest(limit=5))
            engine.page(INITIATIVES, ListRequest(computed_filters={"due_state": ["overdue"]}, as_of=date(2025, 1, 1)))
            engine.page(INITIATIVES, ListRequest(filters={"area": ["healthcare"]}, limit=5))
        prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
        assert connection.connection.dbapi_connection.prepare_threshold == 5  # restored  # type: ignore[union-attr]
    assert any("FROM initiative" in statement for statement in prepared)  # the control: today's pages are
    reads = [statement for statement in prepared if statement.lstrip().upper().startswith("SELECT")]
    assert not any("status_statement" in statement or "record_added" in statement for statement in reads), reads
