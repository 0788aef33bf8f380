"""Run Alembic migrations programmatically (the CLI, the tests and the app's start-up use it)."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from app.settings import PROJECT_ROOT


def alembic_config(engine: Engine) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["configure_logging"] = False
    config.attributes["engine"] = engine
    return config


@contextmanager
def foreign_key_actions_off(connection: Connection) -> Iterator[None]:
    """On SQLite, a migration that rebuilds a table (ALTER of a CHECK, a new foreign key)
    drops the old table, and with foreign keys on that DROP runs every ON DELETE CASCADE of
    the tables pointing at it, emptying them. SQLite's own procedure for schema changes:
    foreign keys off (only possible outside a transaction), migrate, check, back on."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


def _run(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection, foreign_key_actions_off(connection), connection.begin():
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
        check_foreign_keys(connection)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    _run(engine, "downgrade", revision)
