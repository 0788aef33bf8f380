"""Aggregates over metrics: per group, the latest figure of each series counted once, their
range, and a sum only where adding them is known to mean something; never across units.

The rule, documented for clients in docs/VOCABULARY.md ("Which figures may be added"):
- the filters choose observations; of those, each series contributes its latest (as-of end,
  then id), so a measure reported three times counts once, as it last stood; `as_of_to=D`
  gives the figures as they stood on D. (Filters that choose whole series, `unit` and
  `series`, or none, read each series' latest figure as the loader stored it.)
- figures of different series are never added. A unit says what is counted, not whether two
  series count different things: the seed's "seven medical institutions" include its "five"
  integrated and "two" dental ones, its "nine Mainland cities" are among the "9+2" cities, and
  its 1.7 million eligible elderly live among the 86 million population base. Nothing in the
  register says two series are disjoint, so `sum` is given only for a group of one series (it
  is then that series' figure) and is otherwise null, with `sum_reason` saying why.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Subquery, and_, distinct, func, select, true

from app.models import Area, Metric
from app.models.vocab import UNIT_LABELS, MetricUnit
from app.query.engine import ListRequest, QueryEngine
from app.query.errors import InvalidParameter
from app.query.resources import METRICS
from app.query.spec import SqlColumn

GROUPS: dict[str, SqlColumn] = {
    "area": Area.slug,
    "unit": Metric.unit,
    "year": func.extract("year", Metric.as_of_end),
}


# The columns of a summary row in CSV and NDJSON: every group key, whether grouped by or not.
SUMMARY_COLUMNS = ("area", "year", "unit", "unit_label", "unit_dimension", "count", "min", "max", "sum", "sum_reason")


def with_unit_words(group: dict[str, Any]) -> dict[str, Any]:
    """The group with its unit's label and dimension after the unit."""
    label, dimension = UNIT_LABELS[MetricUnit(group["unit"])]
    words = {"unit_label": label, "unit_dimension": dimension.value}
    ordered: dict[str, Any] = {}
    for key, value in group.items():
        ordered[key] = value
        if key == "unit":
            ordered.update(words)
    return ordered


def sum_reason(series: int) -> str:
    return (
        f"Not added: the latest figures of {series} different series, which may count the same things "
        "(a unit says what is counted, not that two series do not overlap)."
    )


# Filters that choose whole series (a series has one unit): with no others, each series'
# latest figure is the one stored as such (metric.latest_of_series), and nothing is ranked.
SERIES_FILTERS = frozenset({"unit", "series"})


def summarise(connection: Connection, request: ListRequest, group_by: Sequence[str]) -> list[dict[str, Any]]:
    conditions, values = QueryEngine(connection).conditions(METRICS, request)
    whole_series = request.q is None and set(request.filters) <= SERIES_FILTERS
    if whole_series:
        conditions = [*conditions, Metric.latest_of_series == true()]
    where = and_(*conditions) if conditions else None
    if "unit" not in group_by:
        counted_from = Metric.__table__ if whole_series else METRICS.counting_from
        units = select(func.count(distinct(Metric.unit))).select_from(counted_from)
        if where is not None:
            units = units.where(where)
        if connection.execute(units, values).scalar_one() > 1:
            raise InvalidParameter(
                "The selected metrics have different units, and a sum or range across units "
                "means nothing: add unit to group_by, or filter with unit=...",
                parameter="group_by",
            )
    observation = (_latest if whole_series else _ranked)(group_by, where)
    keys = [observation.c[name] for name in group_by]
    # Without unit in group_by there is one unit only (checked above): report it.
    keys_and_unit = keys if "unit" in group_by else [*keys, func.min(observation.c.unit).label("unit")]
    statement = (
        select(
            *keys_and_unit,
            func.count().label("count"),
            func.min(observation.c.value).label("min"),
            func.max(observation.c.value).label("max"),
        )
        .group_by(*keys)
        .order_by(*keys)
    )
    if not whole_series:
        statement = statement.where(observation.c.next.is_(None))
    rows = [dict(row) for row in connection.execute(statement, values).mappings()]
    if whole_series and "area" in group_by:
        rows = _named_areas(connection, rows, group_by)
    groups = []
    for row in rows:
        group = {name: _plain(row[name]) for name in group_by}
        count = row["count"]
        group.update(
            unit=row["unit"],
            count=count,
            min=_num(row["min"]),
            max=_num(row["max"]),
            sum=_num(row["min"]) if count == 1 else None,
            sum_reason=None if count == 1 else sum_reason(count),
        )
        groups.append(group)
    return groups


def _grouped(group_by: Sequence[str], groups: dict[str, SqlColumn] = GROUPS) -> list[ColumnElement[Any]]:
    return [
        *(groups[name].label(name) for name in group_by if name != "unit"),
        Metric.unit.label("unit"),
        Metric.value.label("value"),
    ]


def _latest(group_by: Sequence[str], where: ColumnElement[bool] | None) -> Subquery:
    """The latest figure of each chosen series, as stored, read through ix_metric_latest_unit.

    From the metric table alone, grouped by area id (named afterwards, _named_areas): joined
    with the areas, SQLite would read each area's figures through their area index instead,
    every figure of the table (15 s at 1M rather than 0.3 s)."""
    latest = select(*_grouped(group_by, {**GROUPS, "area": Metric.area_id})).select_from(Metric.__table__)
    return (latest if where is None else latest.where(where)).subquery("observation")


def _named_areas(connection: Connection, rows: list[dict[str, Any]], group_by: Sequence[str]) -> list[dict[str, Any]]:
    """Rows grouped by area id, with the area's slug instead, in the order of the group keys."""
    slugs = {area_id: slug for area_id, slug in connection.execute(select(Area.id, Area.slug))}
    named = [{**row, "area": slugs[row["area"]]} for row in rows]
    return sorted(named, key=lambda row: tuple(row[name] for name in group_by))


def _ranked(group_by: Sequence[str], where: ColumnElement[bool] | None) -> Subquery:
    """Each chosen figure with the id of the next chosen one of its series, in date order: the
    latest has none. (In ascending order, a whole-table summary walks
    ix_metric_series_id_as_of_end without sorting; row_number() over a descending order sorts.)"""
    ranked = select(
        *_grouped(group_by),
        func.lead(Metric.id).over(partition_by=Metric.series_id, order_by=(Metric.as_of_end, Metric.id)).label("next"),
    ).select_from(METRICS.counting_from)
    return (ranked if where is None else ranked.where(where)).subquery("observation")


def _plain(value: Any) -> Any:
    """Years come back as float (SQLite) or Decimal (PostgreSQL): make them int."""
    if value is None or isinstance(value, str):
        return value
    return int(value)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
