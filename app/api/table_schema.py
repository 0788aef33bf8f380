"""Frictionless Table Schemas of the CSV responses: each CSV names its schema in a
`Link: <...>; rel="describedby"` header, so pandas, frictionless and spreadsheets read typed
columns (an id column with gaps is integers, not floats) instead of guessing.

The fields are the CSV's columns in order, typed from the SQL expressions that produce them (as
the export's are, app/export/datapackage.py), with each coded column's vocabulary as its enum."""

from collections.abc import Callable
from enum import StrEnum
from functools import cache, partial
from typing import Any

from fastapi import Request
from sqlalchemy import Date, bindparam
from sqlalchemy.sql.elements import Label

from app.db.base import VOCABULARY
from app.export.datapackage import field_type
from app.models.vocab import DueState, MetricUnit, MilestoneOutcome, UnitDimension
from app.query.engine import flat_name
from app.query.resources import MILESTONES, RESOURCES
from app.query.spec import ResourceSpec
from app.query.timeline import PERIOD_COLUMNS

# Vocabularies of columns the database does not hold as such (computed, or a unit's dimension).
_COMPUTED_VOCABULARIES: dict[str, type[StrEnum]] = {
    "due_state": DueState,
    "outcome": MilestoneOutcome,
    "unit_dimension": UnitDimension,
}
SCHEMA_MEDIA_TYPE = "application/json"


def _vocabulary(expression: Any) -> type[StrEnum] | None:
    expression = getattr(expression, "expression", expression)
    while isinstance(expression, Label):
        expression = expression.element
    found: type[StrEnum] | None = getattr(expression, "info", {}).get(VOCABULARY)
    return found


def _field(name: str, kind: str, vocabulary: type[StrEnum] | None = None, description: str = "") -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind}
    if description:
        field["description"] = description
    if vocabulary is not None:
        field["constraints"] = {"enum": [member.value for member in vocabulary]}
    return field


def _spec_fields(spec: ResourceSpec) -> list[dict[str, Any]]:
    """The fields of a collection's CSV: its output columns, then its computed ones."""
    as_of = bindparam("as_of", type_=Date)
    expressions = [(column.key, column) for column in spec.columns if column.key]
    expressions += [(name, make(as_of)) for name, make in spec.computed.items()]
    return [
        _field(
            flat_name(name),
            field_type(expression.type),
            _COMPUTED_VOCABULARIES.get(name) or _vocabulary(expression),
        )
        for name, expression in expressions
    ]


def _table(fields: list[dict[str, Any]], title: str, primary_key: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": title, "fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def _collection(spec: ResourceSpec) -> dict[str, Any]:
    return _table(_spec_fields(spec), f"{spec.name.replace('_', ' ')} (CSV of the collection)", ["id"])


def _timeline() -> dict[str, Any]:
    period = [
        _field(
            PERIOD_COLUMNS[0], "string", description="2024-07, 2024-Q3 or 2024; empty: less precise than the period."
        ),
        _field(PERIOD_COLUMNS[1], "date", description="The period's first day."),
        _field(PERIOD_COLUMNS[2], "date", description="The period's last day."),
    ]
    return _table(period + _spec_fields(MILESTONES), "timeline (CSV: one row per milestone)", ["id"])


def _summary() -> dict[str, Any]:
    fields = [
        _field("area", "string", description="The area's slug, when grouped by area."),
        _field("year", "integer", description="The as-of year, when grouped by year."),
        _field("unit", "string", MetricUnit),
        _field("unit_label", "string"),
        _field("unit_dimension", "string", UnitDimension),
        _field("count", "integer", description="How many series: each counts once, by its latest figure."),
        _field("min", "number"),
        _field("max", "number"),
        _field("sum", "number", description="Only for a group of one series; see sum_reason."),
        _field("sum_reason", "string"),
    ]
    return _table(fields, "metrics summary (CSV: one row per group)")


def _builders() -> dict[str, Callable[[], dict[str, Any]]]:
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        name: partial(_collection, spec) for name, spec in RESOURCES.items()
    }
    builders.update(timeline=_timeline, metrics_summary=_summary)
    return builders


SCHEMA_NAMES = tuple(_builders())


@cache
def table_schema(name: str) -> dict[str, Any]:
    """The Table Schema called `name` (one of SCHEMA_NAMES)."""
    return _builders()[name]()


def described_by(request: Request, name: str, headers: dict[str, str]) -> dict[str, str]:
    """`headers` with a link to the CSV's Table Schema, after any other link (a next page's)."""
    url = f"{str(request.base_url).rstrip('/')}/schemas/{name}.json"
    link = f'<{url}>; rel="describedby"; type="{SCHEMA_MEDIA_TYPE}"'
    others = headers.get("Link")
    return {**headers, "Link": f"{others}, {link}" if others else link}
