"""Commitments, schemes, programmes, institutions and plans, with who and where."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import InitiativeKind, InitiativeStatus, OrganisationRole


class Initiative(Recorded, Provenance, Base):
    __tablename__ = "initiative"
    __table_args__ = (
        quote_span_check(),
        # Composite (filter, id) indexes keep keyset pages on filtered lists index-only seeks.
        Index("ix_initiative_area_id_id", "area_id", "id"),
        Index("ix_initiative_status_id", "status", "id"),
        Index("ix_initiative_kind_id", "kind", "id"),
        Index("ix_initiative_due_end_id", "due_end", "id"),
        # Covering indexes: facet counts within one area read the index only (migration 0003).
        Index("ix_initiative_area_id_status", "area_id", "status"),
        Index("ix_initiative_area_id_kind", "area_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), info={VOCABULARY: InitiativeKind})
    status: Mapped[str] = mapped_column(String(20), info={VOCABULARY: InitiativeStatus})
    status_quote: Mapped[str] = mapped_column(Text)
    status_quote_start: Mapped[int] = mapped_column(Integer)
    status_quote_end: Mapped[int] = mapped_column(Integer)
    # The interval of the initiative's latest target milestone, kept by the loader so
    # due-date filters and the overdue check need no join at scale.
    due_start: Mapped[date | None] = mapped_column(Date)
    due_end: Mapped[date | None] = mapped_column(Date)


class InitiativeOrganisation(Base):
    __tablename__ = "initiative_organisation"
    __table_args__ = (
        UniqueConstraint("initiative_id", "organisation_id"),
        Index("ix_initiative_organisation_org_initiative", "organisation_id", "initiative_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10), info={VOCABULARY: OrganisationRole})


class InitiativePlace(Base):
    __tablename__ = "initiative_place"
    __table_args__ = (
        UniqueConstraint("initiative_id", "place_id"),
        Index("ix_initiative_place_place_initiative", "place_id", "initiative_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"))
