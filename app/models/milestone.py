"""Dated events and targets, stored as intervals with precision, qualifier and EDTF."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import DatePrecision, DateQualifier, MilestoneKind


class Milestone(Recorded, Provenance, Base):
    __tablename__ = "milestone"
    __table_args__ = (
        quote_span_check(),
        Index("ix_milestone_area_id_id", "area_id", "id"),
        Index("ix_milestone_kind_id", "kind", "id"),
        Index("ix_milestone_start_on_id", "start_on", "id"),
        Index("ix_milestone_end_on_id", "end_on", "id"),
        Index("ix_milestone_initiative_id_id", "initiative_id", "id"),
        Index("ix_milestone_agreement_id_id", "agreement_id", "id"),
        Index("ix_milestone_supersedes_id", "supersedes_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), info={VOCABULARY: MilestoneKind})
    phrase: Mapped[str] = mapped_column(Text)
    # Earliest and latest possible dates; end is NULL for open-ended ("since July 2023").
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(20), index=True, info={VOCABULARY: DatePrecision})
    qualifier: Mapped[str] = mapped_column(String(10), info={VOCABULARY: DateQualifier})
    edtf: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    # A later document's new target for the same thing replaces this one's (kept, shown as superseded).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="SET NULL"))
