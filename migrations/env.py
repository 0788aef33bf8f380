"""Alembic environment: the URL from settings (DATABASE_URL), the metadata from app.models."""

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.db.base import Base
from app.db.engine import make_engine
from app.db.fulltext_names import FTS_TABLE, SEARCH_VECTOR_COLUMN, SEARCH_VECTOR_INDEX
from app.db.migrate import check_foreign_keys, foreign_key_actions_off
from app.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave out the engine-specific full-text objects: they live outside the ORM metadata
    (see app/models/search.py). FTS5's shadow tables share the FTS table's name as a prefix."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == SEARCH_VECTOR_COLUMN:
        return False
    return not (type_ == "index" and name == SEARCH_VECTOR_INDEX)


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(get_settings(), url, statement_timeout=False)  # a migration may take long
    with engine.connect() as connection, foreign_key_actions_off(connection):
        run_with(connection)
        check_foreign_keys(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
