"""Column groups repeated across resource specs (references and provenance)."""

from typing import Any

from app.models import Area, Document
from app.query.spec import SqlColumn


def reference(model: Any, prefix: str, *fields: str) -> list[SqlColumn]:
    """A nested reference to a related record: {prefix: {id, slug, <fields>}}."""
    names = ("id", "slug", *fields)
    return [getattr(model, name).label(f"{prefix}__{name}") for name in names]


def area_reference() -> list[SqlColumn]:
    return reference(Area, "area", "name")


def source(model: Any) -> list[SqlColumn]:
    """Provenance: the document and the verbatim quote with its character span."""
    return [
        Document.slug.label("source__document"),
        model.quote.label("source__quote"),
        model.quote_start.label("source__start"),
        model.quote_end.label("source__end"),
    ]
