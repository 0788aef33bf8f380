"""Engine construction for SQLite (embedded default) and PostgreSQL (scale-out)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from app.db.sqlite_timeout import TimedConnection, is_interrupted
from app.settings import Settings

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cut by statement_timeout


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(settings: Settings, url: str | None = None, *, statement_timeout: bool = True) -> Engine:
    """An engine for `url` (default: the settings'). With `statement_timeout`, every statement is
    cut after db_statement_timeout_ms (0: never), on both engines: the API's engine. The command
    line's migrations, loads and exports pass False: their bulk statements may take longer."""
    url = url or settings.database_url
    timeout_ms = settings.db_statement_timeout_ms if statement_timeout else 0
    if is_sqlite(url):
        return _sqlite_engine(url, settings, timeout_ms)
    return _postgresql_engine(url, settings, timeout_ms)


def _pool(settings: Settings) -> dict[str, Any]:
    """Bounded, and a request waits at most db_pool_timeout_s for a connection (then a 503)."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_s,
    }


def _sqlite_engine(url: str, settings: Settings, timeout_ms: int) -> Engine:
    database = make_url(url).database
    pool: dict[str, Any] = {}
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = _pool(settings)  # a file database gets a QueuePool; :memory: one connection
    connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 5}
    if timeout_ms:
        connect_args["factory"] = TimedConnection  # SQLite has no statement timeout of its own
    engine = create_engine(url, connect_args=connect_args, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers go on while the loader writes; foreign keys are off by default.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
        if timeout_ms:
            dbapi_connection.limit_statements(timeout_ms / 1000)

    return engine


def _postgresql_engine(url: str, settings: Settings, timeout_ms: int) -> Engine:
    # statement_timeout 0: none, whatever the server's default. jit off: the as-of filters' per-row
    # subqueries make the planner's estimates large (its cost of reading every row, though a
    # page stops early), and compiling them took 0.7 s for a 15 ms query; no request here runs long
    # enough to repay it.
    options = f"-c statement_timeout={timeout_ms} -c jit=off"
    return create_engine(
        url,
        **_pool(settings),
        pool_pre_ping=True,
        connect_args={"connect_timeout": settings.db_connect_timeout_s, "options": options},
    )


def read_snapshot(connection: Connection, *, ordinary: bool = False) -> Connection:
    """Make all of a request's statements read one snapshot, so a seed reload committing
    mid-request is seen whole or not at all (never a page from before and its embeds from after).

    `ordinary` (Settings.stock_paths) sends SQLite's BEGIN through SQLAlchemy's execution path."""
    if connection.dialect.name == "sqlite":
        # pysqlite opens no transaction for SELECTs, so each would read the latest commit.
        if ordinary:  # SQLAlchemy begins its own transaction around it, and rolls it back on close
            connection.exec_driver_sql("BEGIN")
            return connection
        # Sent on the driver's connection (SQLAlchemy's execution path cost more than the
        # statement); the pool's rollback on return ends it, as it would end SQLAlchemy's own.
        connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
        return connection
    # Default READ COMMITTED takes a new snapshot per statement; READ ONLY costs no round trip.
    return connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def is_statement_timeout(error: BaseException | None) -> bool:
    """Whether a DBAPI error is a statement cut by the statement timeout, on either engine."""
    return getattr(error, "sqlstate", None) == QUERY_CANCELED or (error is not None and is_interrupted(error))
