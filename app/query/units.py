"""A unit's label and dimension (app/models/vocab.py's UNIT_LABELS) as SQL columns, so that JSON,
CSV and NDJSON carry them from the one query that reads the figure."""

from typing import Any

from sqlalchemy import ColumnElement, String, case, literal

from app.models.vocab import UNIT_LABELS

UNIT_COLUMNS = ("unit_label", "unit_dimension")


def unit_label(unit: Any) -> ColumnElement[str]:
    """The unit's words for a reader ("vehicles per day")."""
    return case(
        {code.value: label for code, (label, _) in UNIT_LABELS.items()}, value=unit, else_=literal(None, String)
    )


def unit_dimension(unit: Any) -> ColumnElement[str]:
    """What kind of quantity the unit measures (count, flow, ratio, duration)."""
    return case(
        {code.value: dim.value for code, (_, dim) in UNIT_LABELS.items()}, value=unit, else_=literal(None, String)
    )


def unit_columns(unit: Any) -> list[ColumnElement[Any]]:
    """`unit_label` and `unit_dimension` of the unit column `unit`."""
    return [unit_label(unit).label("unit_label"), unit_dimension(unit).label("unit_dimension")]
