"""What documents say about shared records over time: status statements and targets reached.

A record (an initiative, a target milestone) is defined once, by the document that first
reports it; every later document adds *statements* about it, each with its own quote and
an effective date (when the thing happened, often imprecise), kept forever.
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded, Withdrawable
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import DatePrecision, DateQualifier, InitiativeStatus


class EffectiveDate:
    """When a statement took effect: the phrase, its interval, and `effective_on`, the day
    by which it certainly held (the interval's end; its start when open-ended, as "since
    July 2023"). History is ordered, and `as_of` compares, on `effective_on`."""

    effective_phrase: Mapped[str | None] = mapped_column(Text)
    effective_start: Mapped[date] = mapped_column(Date)
    effective_end: Mapped[date | None] = mapped_column(Date)
    effective_precision: Mapped[str] = mapped_column(String(20), info={VOCABULARY: DatePrecision})
    effective_qualifier: Mapped[str] = mapped_column(String(10), info={VOCABULARY: DateQualifier})
    effective_edtf: Mapped[str] = mapped_column(String(40))
    effective_on: Mapped[date] = mapped_column(Date)


class StatusStatement(Withdrawable, Recorded, EffectiveDate, Provenance, Base):
    """One document's word on where an initiative stands (append-only history)."""

    __tablename__ = "status_statement"
    __table_args__ = (
        UniqueConstraint("initiative_id", "document_id"),
        quote_span_check(),
        # The latest statement of an initiative as of a date: one index seek.
        Index("ix_status_statement_initiative_effective", "initiative_id", "effective_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), info={VOCABULARY: InitiativeStatus})


class TargetReached(Withdrawable, Recorded, EffectiveDate, Provenance, Base):
    """A document's word that a target milestone was achieved, and when."""

    __tablename__ = "target_reached"
    __table_args__ = (
        UniqueConstraint("milestone_id", "document_id"),
        quote_span_check(),
        Index("ix_target_reached_milestone_effective", "milestone_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
