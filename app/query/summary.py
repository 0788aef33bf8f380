"""Aggregates over metrics: count, min, max and sum per group, never across units."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, distinct, func, select

from app.models import Area, Metric
from app.query.engine import ListRequest, QueryEngine
from app.query.errors import InvalidParameter
from app.query.resources import METRICS
from app.query.spec import SqlColumn

GROUPS: dict[str, SqlColumn] = {
    "area": Area.slug,
    "unit": Metric.unit,
    "year": func.extract("year", Metric.as_of_end),
}


def summarise(connection: Connection, request: ListRequest, group_by: Sequence[str]) -> list[dict[str, Any]]:
    conditions, values = QueryEngine(connection).conditions(METRICS, request)
    where = and_(*conditions) if conditions else None
    if "unit" not in group_by:
        units = select(func.count(distinct(Metric.unit))).select_from(METRICS.counting_from)
        if where is not None:
            units = units.where(where)
        if connection.execute(units, values).scalar_one() > 1:
            raise InvalidParameter(
                "The selected metrics have different units, and a sum or range across units "
                "means nothing: add unit to group_by, or filter with unit=...",
                parameter="group_by",
            )
    columns = [GROUPS[name].label(name) for name in group_by]
    if "unit" not in group_by:  # one unit only (checked above): report it
        columns.append(func.min(Metric.unit).label("unit"))
    statement = select(
        *columns,
        func.count().label("count"),
        func.min(Metric.value).label("min"),
        func.max(Metric.value).label("max"),
        func.sum(Metric.value).label("sum"),
    ).select_from(METRICS.counting_from)
    if where is not None:
        statement = statement.where(where)
    statement = statement.group_by(*(GROUPS[name] for name in group_by)).order_by(*(GROUPS[name] for name in group_by))
    groups = []
    for row in connection.execute(statement, values).mappings():
        group = {name: _plain(row[name]) for name in group_by}
        group["unit"] = row["unit"]
        group.update(count=row["count"], min=_num(row["min"]), max=_num(row["max"]), sum=_num(row["sum"]))
        groups.append(group)
    return groups


def _plain(value: Any) -> Any:
    """Years come back as float (SQLite) or Decimal (PostgreSQL): make them int."""
    if value is None or isinstance(value, str):
        return value
    return int(value)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
