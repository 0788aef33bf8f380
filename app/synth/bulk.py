"""Bulk writers for synthetic rows: executemany on SQLite, COPY on PostgreSQL."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Engine

from app.db.fulltext_names import FTS_TABLE, SEARCH_ENTRY_TABLE

Row = tuple[Any, ...]


class BulkWriter(Protocol):
    def write(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None: ...

    def commit(self) -> None: ...

    def finish(self, tables: Sequence[str]) -> None: ...

    def close(self) -> None: ...


def writer_for(engine: Engine) -> BulkWriter:
    if engine.dialect.name == "postgresql":
        return PostgresWriter(engine)
    return SqliteWriter(engine)


def _sqlite_value(value: Any) -> Any:
    # The forms SQLAlchemy stores on SQLite: ISO dates, 0/1 booleans.
    if isinstance(value, date | datetime):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class _SetAside:
    """What a writer drops for the load (`restore`: the statements that recreate it), put back
    by finish() or, after a failure, by close(): the schema is left whole either way."""

    connection: Any
    restore: list[str]
    finished = False

    def _restore(self, cursor: Any) -> None:
        for sql in self.restore:
            cursor.execute(sql)

    def close(self) -> None:
        if not self.finished:  # failed midway
            self.connection.rollback()
            cursor = self.connection.cursor()
            self._restore(cursor)
            cursor.close()
            self.connection.commit()
        self.connection.close()


class SqliteWriter(_SetAside):
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.raw_connection()
        cursor = self.connection.cursor()
        # A bulk load that can be rerun from scratch: no need to survive a power cut midway.
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB: index pages stay in memory while they fill
        # The triggers that keep the FTS5 index in step cost ~14x a rebuild at the end, and the
        # secondary indexes cost more filled row by row than built once from the loaded rows: set
        # them aside (exactly as the migrations defined them) and put them back in finish().
        set_aside = cursor.execute(
            "SELECT type, name, sql FROM sqlite_master "
            f"WHERE (type = 'trigger' AND tbl_name = '{SEARCH_ENTRY_TABLE}') OR (type = 'index' AND sql IS NOT NULL)"
        ).fetchall()
        for kind, name, _ in set_aside:
            cursor.execute(f'DROP {kind.upper()} "{name}"')
        self.restore = [sql for _, _, sql in set_aside]
        cursor.close()
        self.connection.commit()

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        cursor = self.connection.cursor()
        cursor.executemany(sql, (tuple(_sqlite_value(v) for v in row) for row in rows))
        cursor.close()

    def commit(self) -> None:
        self.connection.commit()

    def finish(self, tables: Sequence[str]) -> None:
        cursor = self.connection.cursor()
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        self._restore(cursor)
        cursor.execute("ANALYZE")  # planner statistics for the new row counts
        cursor.close()
        self.connection.commit()
        self.finished = True


class PostgresWriter(_SetAside):
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.raw_connection()
        cursor = self.connection.cursor()
        # The API's statement timeout guards requests; a COPY of a large batch may take longer.
        cursor.execute("SET statement_timeout = 0")
        # Indexes that back no constraint (the GIN full-text index among them) are built once
        # after the load, faster than maintained row by row; the constraints' own indexes stay.
        set_aside: list[tuple[str, str]] = cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conindid = "
            "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
        ).fetchall()
        for name, _ in set_aside:
            cursor.execute(f'DROP INDEX "{name}"')
        self.restore = [sql for _, sql in set_aside]
        cursor.close()
        self.connection.commit()

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        cursor = self.connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.close()

    def commit(self) -> None:
        self.connection.commit()

    def finish(self, tables: Sequence[str]) -> None:
        cursor = self.connection.cursor()
        self._restore(cursor)
        for table in tables:
            # Ids were given explicitly: move each serial past them, then gather statistics.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            )
            cursor.execute(f"ANALYZE {table}")
        cursor.close()
        self.connection.commit()
        self.finished = True
