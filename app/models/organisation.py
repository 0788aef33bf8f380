"""Governments, departments, authorities, universities, hospitals (Popolo Organization)."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import Jurisdiction, OrganisationKind


class Organisation(Recorded, Provenance, Base):
    __tablename__ = "organisation"
    __table_args__ = (quote_span_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str | None] = mapped_column(Text)
    jurisdiction: Mapped[str] = mapped_column(String(20), index=True, info={VOCABULARY: Jurisdiction})
    kind: Mapped[str] = mapped_column(String(20), index=True, info={VOCABULARY: OrganisationKind})
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
