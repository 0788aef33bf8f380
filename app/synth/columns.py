"""Synthetic rows are built by column name; the bulk writers take them in the table's own
column order (from app/models), so a new column is never kept in step with a tuple by hand."""

from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table

from app.db.base import Base

Record = Mapping[str, Any]  # one row, by column name


def table_of(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def in_table_order(table: Table, records: Sequence[Record]) -> tuple[tuple[str, ...], Iterator[tuple[Any, ...]]]:
    """The columns the records fill, in the table's order, and each record as a tuple in that
    order. Every record gives the columns the first one gives; the others take their defaults."""
    given = records[0].keys()
    unknown = given - table.columns.keys()
    if unknown:
        raise KeyError(f"table {table.name} has no column {', '.join(sorted(unknown))}")
    columns = tuple(column.name for column in table.columns if column.name in given)
    if len(columns) == 1:
        (only,) = columns
        return columns, ((record[only],) for record in records)
    values = itemgetter(*columns)
    return columns, (values(record) for record in records)
