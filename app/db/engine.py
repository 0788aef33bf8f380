"""Engine construction for SQLite (embedded default) and PostgreSQL (scale-out)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from app.settings import Settings


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(settings: Settings, url: str | None = None) -> Engine:
    url = url or settings.database_url
    if is_sqlite(url):
        return _sqlite_engine(url, settings)
    return _postgresql_engine(url, settings)


def _pool(settings: Settings) -> dict[str, Any]:
    """Bounded, and a request waits at most db_pool_timeout_s for a connection (then a 503)."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_s,
    }


def _sqlite_engine(url: str, settings: Settings) -> Engine:
    database = make_url(url).database
    pool: dict[str, Any] = {}
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = _pool(settings)  # a file database gets a QueuePool; :memory: one connection
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers go on while the loader writes; foreign keys are off by default.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return engine


def _postgresql_engine(url: str, settings: Settings) -> Engine:
    options = f"-c statement_timeout={settings.db_statement_timeout_ms}"
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
