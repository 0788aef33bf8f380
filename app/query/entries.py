"""Dated entries about records, as an initiative's history and the changes feed list them:
the columns they share (an effective date, the document that says it, the quote), built
once, and typed NULLs for the fields another kind of entry fills."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, String, Text, cast, literal_column, null
from sqlalchemy.sql.type_api import TypeEngine

from app.db.types import UtcDateTime
from app.models import Document
from app.models.metric import MetricValue
from app.models.vocab import DatePrecision, DateQualifier
from app.query.spec import SqlColumn

# Labels nest on "__" (app/query/engine.py `nest`): "effective__on" is {"effective": {"on": ...}}.
EFFECTIVE: dict[str, TypeEngine[Any]] = {
    "effective__phrase": Text(),
    "effective__start": Date(),
    "effective__end": Date(),
    "effective__precision": String(),
    "effective__qualifier": String(),
    "effective__edtf": String(),
    "effective__on": Date(),
}
DOCUMENT: dict[str, TypeEngine[Any]] = {
    "document__id": Integer(),
    "document__slug": String(),
    "document__title": Text(),
    "document__published_on": Date(),
    "document__issuer": Text(),
}
SOURCE: dict[str, TypeEngine[Any]] = {"source__quote": Text(), "source__start": Integer(), "source__end": Integer()}
MILESTONE_FIELDS: dict[str, TypeEngine[Any]] = {
    "id": Integer(),
    "slug": String(),
    "label": Text(),
    "kind": String(),
    "phrase": Text(),
    "start": Date(),
    "end": Date(),
    "precision": String(),
    "qualifier": String(),
    "edtf": String(),
}
SERIES: dict[str, TypeEngine[Any]] = {"series__id": Integer(), "series__slug": String(), "series__label": Text()}
FIGURE: dict[str, TypeEngine[Any]] = {"value": MetricValue, "unit": String(), "qualifier": String()}
# Columns every entry has first: its kind, and its place among entries of the same date.
ORDER: dict[str, TypeEngine[Any]] = {"kind": String(), "rank": Integer(), "entry_id": Integer()}
STATUS: dict[str, TypeEngine[Any]] = {"status": String(), "previous_status": String()}
# Who recorded an entry through the API, and when (null for what the seed loaded).
RECORDED: dict[str, TypeEngine[Any]] = {"recorded_by": String(), "recorded_at": UtcDateTime()}
# A statement a curator withdrew: {"withdrawn": {"reason", "by", "at"}}, null while it stands.
WITHDRAWN: dict[str, TypeEngine[Any]] = {
    "withdrawn__reason": Text(),
    "withdrawn__by": String(),
    "withdrawn__at": UtcDateTime(),
}
OUTCOME: dict[str, TypeEngine[Any]] = {"outcome": String()}


def milestone_columns(prefix: str) -> dict[str, TypeEngine[Any]]:
    return {f"{prefix}__{name}": kind for name, kind in MILESTONE_FIELDS.items()}


def constant(value: str | int) -> ColumnElement[Any]:
    """A constant column. Rendered inline (the values are the app's own: enum values, ranks),
    so that every branch of a UNION has a typed column rather than an untyped parameter."""
    if isinstance(value, int):
        return literal_column(str(value), Integer())
    assert value.replace("_", "").isalnum(), value
    return literal_column(f"'{value}'", String())


def row(names: Mapping[str, TypeEngine[Any]], given: Mapping[str, Any]) -> list[ColumnElement[Any]]:
    """One SELECT list holding every column of `names`, in order: those `given`, and typed NULLs."""
    unknown = set(given) - set(names)
    if unknown:
        raise KeyError(f"not columns of this entry: {sorted(unknown)}")
    return [(given[name] if name in given else cast(null(), kind)).label(name) for name, kind in names.items()]


def effective_of(model: Any) -> dict[str, SqlColumn]:
    """The effective date of a statement (app/models/history.py EffectiveDate)."""
    return {
        "effective__phrase": model.effective_phrase,
        "effective__start": model.effective_start,
        "effective__end": model.effective_end,
        "effective__precision": model.effective_precision,
        "effective__qualifier": model.effective_qualifier,
        "effective__edtf": model.effective_edtf,
        "effective__on": model.effective_on,
    }


def effective_on_day(day: SqlColumn) -> dict[str, Any]:
    """An effective date that is one known day (a document's date, a deadline); its EDTF, the
    ISO date, is filled in by `finish` (SQL has no portable date-to-text)."""
    return {
        "effective__start": day,
        "effective__end": day,
        "effective__precision": constant(DatePrecision.DAY.value),
        "effective__qualifier": constant(DateQualifier.ON.value),
        "effective__on": day,
    }


def document_of(document: Any = Document) -> dict[str, SqlColumn]:
    return {
        "document__id": document.id,
        "document__slug": document.slug,
        "document__title": document.title,
        "document__published_on": document.published_on,
        "document__issuer": document.issuer,
    }


def source_of(model: Any) -> dict[str, SqlColumn]:
    return {"source__quote": model.quote, "source__start": model.quote_start, "source__end": model.quote_end}


def recorded_of(model: Any) -> dict[str, SqlColumn]:
    """Who recorded the row through the API, and when; nothing for a table the API never writes."""
    if not hasattr(model, "recorded_by"):
        return {}
    return {"recorded_by": model.recorded_by, "recorded_at": model.recorded_at}


def withdrawn_of(model: Any) -> dict[str, SqlColumn]:
    return {
        "withdrawn__reason": model.withdrawn_reason,
        "withdrawn__by": model.withdrawn_by,
        "withdrawn__at": model.withdrawn_at,
    }


def milestone_of(milestone: Any, prefix: str) -> dict[str, SqlColumn]:
    return {f"{prefix}__{name}": getattr(milestone, _MILESTONE_COLUMN.get(name, name)) for name in MILESTONE_FIELDS}


_MILESTONE_COLUMN = {"start": "start_on", "end": "end_on"}


def series_of(series: Any) -> dict[str, SqlColumn]:
    return {"series__id": series.id, "series__slug": series.slug, "series__label": series.label}


def figure_of(metric: Any) -> dict[str, SqlColumn]:
    return {"value": metric.value, "unit": metric.unit, "qualifier": metric.qualifier}


def finish(entry: dict[str, Any]) -> dict[str, Any]:
    """A nested entry as the API shows it: the ordering columns dropped, a one-day effective
    date given its EDTF."""
    for name in ORDER:
        if name != "kind":
            entry.pop(name, None)
    if "withdrawn" in entry and entry["withdrawn"]["at"] is None:
        entry["withdrawn"] = None
    effective = entry["effective"]
    if effective["edtf"] is None and isinstance(effective["on"], date):
        effective["edtf"] = effective["on"].isoformat()
    return entry
