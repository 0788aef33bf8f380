"""Columns every fact row carries: the document and verbatim quote it came from."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class Provenance:
    """Where in which document a fact is stated: `quote` == text[quote_start:quote_end]."""

    @declared_attr
    def document_id(cls) -> Mapped[int]:  # noqa: N805 (declared_attr takes the class)
        return mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)

    quote: Mapped[str] = mapped_column(Text)
    quote_start: Mapped[int] = mapped_column(Integer)
    quote_end: Mapped[int] = mapped_column(Integer)


def quote_span_check() -> CheckConstraint:
    return CheckConstraint("quote_start >= 0 AND quote_end > quote_start", name="quote_span")
