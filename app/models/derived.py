"""State derived from the history and stored for reads that would otherwise work it out per
record: each initiative's status per period between its statements' effective dates.

Rebuilt by app/loader/periods.py whenever the statements change (a seed load, a write through
the API, `coop synth`, migration 0006); never written otherwise.
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.vocab import InitiativeKind, InitiativeStatus


class StatusPeriod(Base):
    """An initiative's status from `from_on` until the day before `until_on`, as everything the
    register knows says (the status `as_of` reads without `known_at`). An initiative's periods
    cover every day, from 0001-01-01 until 9999-12-31; consecutive periods differ in status.

    The initiative's area and kind are copied here, so that counting statuses as of a date for
    one area reads one index range, not a lookup per initiative (docs/PERFORMANCE.md, section d)."""

    __tablename__ = "status_period"
    __table_args__ = (
        Index("ix_status_period_area_until_from", "area_id", "until_on", "from_on", "status", "kind"),
        Index("ix_status_period_until_from", "until_on", "from_on", "status", "kind", "area_id"),
    )

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True)
    from_on: Mapped[date] = mapped_column(Date, primary_key=True)
    until_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), info={VOCABULARY: InitiativeStatus})
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    kind: Mapped[str] = mapped_column(String(20), info={VOCABULARY: InitiativeKind})
