"""Every statement the API runs is cut after DB_STATEMENT_TIMEOUT_MS, on both engines: a
runaway query is a clean 503 problem, not a hung worker (SQLite runs on the worker's event
loop), and the pool serves on. The command line's migrations, loads and exports are not cut."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from app.api.problems import TIMED_OUT
from app.cli import cli
from app.db.engine import make_engine, read_snapshot
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.main import create_app
from app.settings import Settings, get_settings
from tests.conftest import ENGINES, SEED_DIR, Api
from tests.helpers import assert_problem

TIMEOUT_MS = 300
# Without a timeout: minutes of work on SQLite, 30 s of sleep on PostgreSQL.
SLOW = {
    "sqlite": "SELECT max(n) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 100000000) SELECT n FROM c)",
    "postgresql": "SELECT pg_sleep(30)",
}
# Longer than TIMEOUT_MS, short enough to wait for: ~1-3 s.
SLOWISH = {
    "sqlite": SLOW["sqlite"].replace("100000000", "1000000"),
    "postgresql": "SELECT pg_sleep(1)",
}
API_URLS = (
    "/initiatives?area=healthcare",
    "/initiatives/1",
    "/initiatives?format=csv",
    "/search?q=hydrogen",
    "/metrics/summary",
    "/timeline",
)


@pytest.fixture(params=ENGINES)
def seeded_url(request: pytest.FixtureRequest, database_url_factory: Callable[[str], str]) -> Iterator[str]:
    """A migrated, seeded database of its own (the tests below alter it)."""
    url = database_url_factory(request.param)
    engine = make_engine(Settings(database_url=url), url, statement_timeout=False)
    upgrade(engine)
    load_all(engine, SEED_DIR)
    engine.dispose()
    yield url


@pytest.fixture
def impatient_engine(seeded_url: str) -> Iterator[Engine]:
    """The API's engine, cutting statements after TIMEOUT_MS."""
    settings = Settings(database_url=seeded_url, db_statement_timeout_ms=TIMEOUT_MS, db_pool_size=2)
    engine = make_engine(settings, seeded_url)
    yield engine
    engine.dispose()


def slow_revision(connection: Connection, slow_by_engine: dict[str, str] = SLOW) -> None:
    """Every request's first statement (the data revision, for its ETag) now runs `slow` too."""
    slow = slow_by_engine[connection.dialect.name]
    connection.execute(text("ALTER TABLE data_revision RENAME TO data_revision_stored"))
    connection.execute(text(f"CREATE VIEW data_revision AS SELECT d.* FROM data_revision_stored d, ({slow}) AS s"))


def normal_revision(connection: Connection) -> None:
    connection.execute(text("DROP VIEW data_revision"))
    connection.execute(text("ALTER TABLE data_revision_stored RENAME TO data_revision"))


def test_a_statement_over_the_timeout_is_a_503_problem_and_the_pool_recovers(
    portal: BlockingPortal, impatient_engine: Engine
) -> None:
    with impatient_engine.begin() as connection:
        slow_revision(connection)
    api = Api(portal, create_app(Settings(database_url="sqlite://unused"), impatient_engine))
    for url in API_URLS:
        started = time.monotonic()
        problem = assert_problem(api.get(url), 503)
        assert time.monotonic() - started < 5, url  # cut, not waited out
        assert problem["type"] == "/problems/database-unavailable"
        assert problem["detail"] == TIMED_OUT
    with impatient_engine.begin() as connection:
        normal_revision(connection)
    # The pooled connections that saw their statements cut serve on.
    for url in API_URLS:
        assert api.get(url).status_code == 200, url


def test_the_timeout_cuts_the_raw_dbapi_cursor_and_sqlalchemy_alike(impatient_engine: Engine) -> None:
    slow = SLOW[impatient_engine.dialect.name]
    with impatient_engine.connect() as connection:
        read_snapshot(connection)
        started = time.monotonic()
        with pytest.raises(OperationalError):
            connection.execute(text(slow))
        assert time.monotonic() - started < 5
        connection.rollback()
        cursor = connection.connection.cursor()  # as app/query/prepared.py runs its statements
        started = time.monotonic()
        with pytest.raises(impatient_engine.dialect.loaded_dbapi.OperationalError):
            cursor.execute(slow)
        assert time.monotonic() - started < 5
        cursor.close()
        connection.connection.rollback()  # the DBAPI connection's own transaction
        assert connection.execute(text("SELECT count(*) FROM milestone")).scalar_one() > 0


def test_the_command_line_engine_has_no_statement_timeout(seeded_url: str) -> None:
    settings = Settings(database_url=seeded_url, db_statement_timeout_ms=50)
    name = "sqlite" if seeded_url.startswith("sqlite") else "postgresql"
    bounded = make_engine(settings)
    unbounded = make_engine(settings, statement_timeout=False)
    try:
        with bounded.connect() as connection, pytest.raises(OperationalError):  # the control
            connection.execute(text(SLOWISH[name]))
        with unbounded.connect() as connection:
            connection.execute(text(SLOWISH[name]))
    finally:
        bounded.dispose()
        unbounded.dispose()


def test_coop_export_reads_slow_tables_whatever_the_statement_timeout(seeded_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=seeded_url), seeded_url, statement_timeout=False)
    with engine.begin() as connection:
        slow_revision(connection, SLOWISH)
    engine.dispose()
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli,
            ["export", str(tmp_path / "export")],
            env={"DATABASE_URL": seeded_url, "DB_STATEMENT_TIMEOUT_MS": "50"},
            prog_name="coop",
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "export" / "data_revision.csv").read_text().count("\n") == 2  # header and the row


def test_sqlite_counts_the_time_spent_in_sqlite_not_between_fetches(
    database_url_factory: Callable[[str], str],
) -> None:
    """A streamed export fetches a batch, writes it out, fetches the next: only each fetch is
    the database's time (as each FETCH from a PostgreSQL server-side cursor is a statement)."""
    url = database_url_factory("sqlite")
    engine = make_engine(Settings(database_url=url, db_statement_timeout_ms=TIMEOUT_MS), url)
    rows = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10000) SELECT n FROM c"
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        started = time.monotonic()
        cursor.execute(rows)
        fetched = 0
        while batch := cursor.fetchmany(1000):
            fetched += len(batch)
            time.sleep(0.1)  # writing the batch out
        cursor.close()
    engine.dispose()
    assert fetched == 10_000
    assert time.monotonic() - started > 3 * TIMEOUT_MS / 1000
