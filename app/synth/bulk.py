"""Bulk writers for synthetic rows: executemany on SQLite, COPY on PostgreSQL."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Engine

from app.query.fulltext import SEARCH_FTS

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


class SqliteWriter:
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.raw_connection()
        cursor = self.connection.cursor()
        # A bulk load that can be rerun from scratch: no need to survive a power cut midway.
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB: index pages stay in memory while they fill
        # The triggers that keep the FTS5 index in step cost ~14x a rebuild at the end: set
        # them aside (exactly as the migration defined them) and put them back in finish().
        self.triggers = cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_entry'"
        ).fetchall()
        for name, _ in self.triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.close()
        self.connection.commit()

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
        cursor = self.connection.cursor()
        cursor.executemany(sql, (tuple(_sqlite_value(v) for v in row) for row in rows))  # type: ignore[arg-type]
        cursor.close()

    def commit(self) -> None:
        self.connection.commit()

    def finish(self, tables: Sequence[str]) -> None:
        cursor = self.connection.cursor()
        cursor.execute(f"INSERT INTO {SEARCH_FTS.name}({SEARCH_FTS.name}) VALUES ('rebuild')")
        for _, sql in self.triggers:
            cursor.execute(sql)
        cursor.execute("ANALYZE")  # planner statistics for the new row counts
        cursor.close()
        self.connection.commit()

    def close(self) -> None:
        if self.triggers and not self._has_triggers():  # failed midway: leave the schema whole
            self.connection.rollback()
            cursor = self.connection.cursor()
            for _, sql in self.triggers:
                cursor.execute(sql)
            cursor.close()
            self.connection.commit()
        self.connection.close()

    def _has_triggers(self) -> bool:
        cursor = self.connection.cursor()
        count = cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        cursor.close()
        return bool(count)


class PostgresWriter:
    def __init__(self, engine: Engine) -> None:
        self.connection = engine.raw_connection()
        cursor = self.connection.cursor()
        # The API's statement timeout guards requests; a COPY of a large batch may take longer.
        cursor.execute("SET statement_timeout = 0")
        cursor.close()

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
        for table in tables:
            # Ids were given explicitly: move each serial past them, then gather statistics.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            )
            cursor.execute(f"ANALYZE {table}")
        cursor.close()
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
