"""Column groups repeated across resource specs (references and provenance)."""

from typing import Any

from sqlalchemy import ColumnElement

from app.models import Area, Document


def reference(model: Any, prefix: str, *fields: str) -> list[ColumnElement[Any]]:
    """A nested reference to a related record: {prefix: {id, slug, <fields>}}."""
    names = ("id", "slug", *fields)
    return [getattr(model, name).label(f"{prefix}__{name}") for name in names]


def area_reference() -> list[ColumnElement[Any]]:
    return reference(Area, "area", "name")


def source(model: Any) -> list[ColumnElement[Any]]:
    """Provenance: the document and the verbatim quote with its character span."""
    return [
        Document.slug.label("source__document"),
        model.quote.label("source__quote"),
        model.quote_start.label("source__start"),
        model.quote_end.label("source__end"),
    ]
