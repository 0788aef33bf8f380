"""The whole database as a Frictionless Data Package: one RFC 4180 CSV per table, and
datapackage.json describing each with a Table Schema (types, keys, vocabularies)."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    Numeric,
    Table,
    select,
)

from app import models  # noqa: F401  (registers every table on the metadata)
from app.csv_cell import csv_cell
from app.db.base import Base, vocabulary_of
from app.models.curation import ApiKey, AuditEntry
from app.models.derived import StatusPeriod
from app.models.search import SearchEntry

DESCRIPTOR = "datapackage.json"
# Derived tables the loader rebuilds from the others (the search index, the status periods):
# not data of their own. The API keys
# (their hashes) and the audit trail (who wrote what, with request ids) are the operators', not
# the register's published data.
SKIPPED_TABLES = frozenset(
    {SearchEntry.__tablename__, StatusPeriod.__tablename__, ApiKey.__tablename__, AuditEntry.__tablename__}
)
BATCH = 1000


@dataclass(frozen=True)
class ExportedTable:
    name: str
    path: Path
    rows: int


def export_datapackage(engine: Engine, folder: Path) -> list[ExportedTable]:
    """Write every table to `folder` (which must exist) and the descriptor last."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]
    exported: list[ExportedTable] = []
    with engine.connect() as connection:
        for table in tables:
            path = folder / f"{table.name}.csv"
            statement = select(table).order_by(*table.primary_key.columns)
            result = connection.execution_options(yield_per=BATCH).execute(statement)
            rows = write_csv(path, [c.name for c in table.columns], result)
            exported.append(ExportedTable(table.name, path, rows))
    descriptor = package_descriptor(tables)
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    return exported


def write_csv(path: Path, header: list[str], rows: Iterator[Any]) -> int:
    """Write `header` and `rows` to `path` as RFC 4180 CSV; return the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            count += 1
    return count


def package_descriptor(tables: list[Table]) -> dict[str, Any]:
    return {
        "name": "hkgd-coop",
        "title": "Hong Kong/Guangdong co-operation commitments",
        "description": "What the governments of Hong Kong and Guangdong committed to, agreed "
        "and reported at their co-operation Joint Conference; every fact row carries the "
        "verbatim quote of its source document and the quote's character span.",
        "profile": "tabular-data-package",
        "resources": [_resource(table) for table in tables],
    }


def _resource(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in table.columns],
        "primaryKey": [column.name for column in table.primary_key.columns],
        "missingValues": [""],
    }
    foreign_keys = [
        {
            "fields": [element.parent.name for element in constraint.elements],
            "reference": {
                # "" is Table Schema's way to say "this same resource".
                "resource": "" if constraint.referred_table is table else constraint.referred_table.name,
                "fields": [element.column.name for element in constraint.elements],
            },
        }
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: list(c.column_keys))
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _field(column: Column[Any]) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": field_type(column.type)}
    if column.comment:
        field["description"] = column.comment
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique and not column.primary_key:
        constraints["unique"] = True
    vocabulary = vocabulary_of(column)
    if vocabulary is not None:
        constraints["enum"] = [member.value for member in vocabulary]
    if constraints:
        field["constraints"] = constraints
    return field


def field_type(kind: Any) -> str:
    """The Table Schema type of values of the SQL type `kind`."""
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Numeric | Float):
        return "number"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    return "string"
