"""Source documents and the meetings they report."""

from datetime import date

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check


class Document(Recorded, Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column(Date, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    # The curated record file the facts were loaded from, so a reload can tell what changed.
    seed_sha256: Mapped[str] = mapped_column(String(64))


class Meeting(Provenance, Base):
    __tablename__ = "meeting"
    __table_args__ = (quote_span_check(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    city: Mapped[str] = mapped_column(String(120), index=True)
