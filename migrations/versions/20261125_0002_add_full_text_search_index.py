"""add full-text search index over search_entry

SQLite: an FTS5 external-content table (porter stemming) kept in sync by triggers.
PostgreSQL: a generated, weighted English tsvector column with a GIN index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:00:00
"""

from collections.abc import Sequence

from alembic import op

from app.db.fulltext_names import (
    FTS_DELETE_TRIGGER,
    FTS_INSERT_TRIGGER,
    FTS_TABLE,
    FTS_UPDATE_TRIGGER,
    SEARCH_ENTRY_TABLE,
    SEARCH_VECTOR_COLUMN,
    SEARCH_VECTOR_INDEX,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The names come from app/db/fulltext_names.py; the SQL is what this migration always ran.
SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, body, content='{SEARCH_ENTRY_TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS_INSERT_TRIGGER} AFTER INSERT ON {SEARCH_ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER {FTS_DELETE_TRIGGER} AFTER DELETE ON {SEARCH_ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER {FTS_UPDATE_TRIGGER} AFTER UPDATE ON {SEARCH_ENTRY_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # Index whatever rows already exist.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS_UPDATE_TRIGGER}",
    f"DROP TRIGGER IF EXISTS {FTS_DELETE_TRIGGER}",
    f"DROP TRIGGER IF EXISTS {FTS_INSERT_TRIGGER}",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRESQL_UP = [
    f"""ALTER TABLE {SEARCH_ENTRY_TABLE} ADD COLUMN {SEARCH_VECTOR_COLUMN} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED""",
    f"CREATE INDEX {SEARCH_VECTOR_INDEX} ON {SEARCH_ENTRY_TABLE} USING gin ({SEARCH_VECTOR_COLUMN})",
]
POSTGRESQL_DOWN = [
    f"DROP INDEX IF EXISTS {SEARCH_VECTOR_INDEX}",
    f"ALTER TABLE {SEARCH_ENTRY_TABLE} DROP COLUMN IF EXISTS {SEARCH_VECTOR_COLUMN}",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)
    else:
        raise NotImplementedError(f"full-text search is not implemented for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN)
