"""Alembic environment: the URL from settings (DATABASE_URL), the metadata from app.models."""

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.db.base import Base
from app.db.engine import make_engine
from app.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Engine-specific full-text objects live outside the ORM metadata (see app/models/search.py).
FULL_TEXT_TABLE_PREFIX = "search_fts"
FULL_TEXT_COLUMN = "search_vector"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith(FULL_TEXT_TABLE_PREFIX):
        return False
    if type_ == "column" and name == FULL_TEXT_COLUMN:
        return False
    return not (type_ == "index" and name and name.startswith("ix_search_entry_vector"))


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
    with engine.connect() as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
