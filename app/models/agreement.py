"""Agreements, memoranda, arrangements and framework agreements, and their parties."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import AgreementKind, DatePrecision


class Agreement(Recorded, Provenance, Base):
    __tablename__ = "agreement"
    __table_args__ = (
        quote_span_check(),
        Index("ix_agreement_area_id_id", "area_id", "id"),
        Index("ix_agreement_kind_id", "kind", "id"),
        Index("ix_agreement_meeting_id_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), info={VOCABULARY: AgreementKind})
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="SET NULL"), index=True)
    signed_phrase: Mapped[str | None] = mapped_column(Text)
    signed_start: Mapped[date | None] = mapped_column(Date, index=True)
    signed_end: Mapped[date | None] = mapped_column(Date, index=True)
    signed_precision: Mapped[str | None] = mapped_column(String(20), info={VOCABULARY: DatePrecision})
    signed_edtf: Mapped[str | None] = mapped_column(String(40))


class AgreementParty(Base):
    __tablename__ = "agreement_party"
    __table_args__ = (
        UniqueConstraint("agreement_id", "organisation_id"),
        Index("ix_agreement_party_org_agreement", "organisation_id", "agreement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
