"""Fields of co-operation, and the places commitments concern."""

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import PlaceKind


class Area(Base):
    """Areas are shared across documents; the heading records where one was first named."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    heading: Mapped[str] = mapped_column(Text)
    heading_start: Mapped[int] = mapped_column(Integer)


class Place(Recorded, Provenance, Base):
    __tablename__ = "place"
    __table_args__ = (quote_span_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), info={VOCABULARY: PlaceKind})
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
