"""Upgrading a database that already holds the 24th seed keeps every row and id, and gives
exactly what a fresh load under the new schema gives (so a reload afterwards changes nothing)."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, MetaData, insert, text

from app.db.migrate import downgrade, upgrade
from app.loader.load import load_all
from tests.conftest import SEED_DIR
from tests.helpers import dump, dump_after_fresh_load

PREVIOUS_HEAD = "0003"


def _rows_under_previous_head(source: dict[str, list[tuple[Any, ...]]], engine: Engine) -> None:
    """Write the 24th seed as the previous schema held it: the same rows, in the columns
    that schema has (the loader of that release wrote these very values)."""
    current = MetaData()
    current.reflect(engine)
    with engine.begin() as connection:
        for table in current.sorted_tables:
            if table.name.startswith("search_fts") or table.name == "alembic_version":
                continue
            full = source_columns[table.name]
            # Generated columns (PostgreSQL's search_vector) are the database's to fill.
            keep = [i for i, name in enumerate(full) if name in table.columns and table.columns[name].computed is None]
            values = [{full[i]: row[i] for i in keep} for row in source[table.name]]
            if values:
                connection.execute(insert(table), values)
        if engine.dialect.name == "postgresql":
            for table in current.sorted_tables:
                if "id" in table.columns and not table.name.startswith("search_fts"):
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                        )
                    )


source_columns: dict[str, list[str]] = {}


def test_upgrading_a_loaded_database_keeps_every_row_and_id(
    empty_engine: Engine, database_url_factory: Callable[[str], str]
) -> None:
    expected = dump_after_fresh_load(database_url_factory(empty_engine.dialect.name), SEED_DIR)
    # The column names of the new schema, in dump order, to pick out the old schema's.
    metadata = MetaData()
    upgrade(empty_engine)
    metadata.reflect(empty_engine)
    source_columns.update({t.name: [c.name for c in t.columns] for t in metadata.tables.values()})
    downgrade(empty_engine, "base")
    upgrade(empty_engine, PREVIOUS_HEAD)
    _rows_under_previous_head(expected, empty_engine)

    upgrade(empty_engine)
    assert dump(empty_engine) == expected
    assert not load_all(empty_engine, SEED_DIR).any
