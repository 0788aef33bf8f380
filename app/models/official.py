"""Named people, the posts they held, and their part in meetings (Popolo Person/Post/Membership)."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.models.curation import Recorded
from app.models.provenance import Provenance, quote_span_check
from app.models.vocab import Honorific, ParticipationRole, Side


class Official(Recorded, Base):
    __tablename__ = "official"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(Text)
    honorific: Mapped[str | None] = mapped_column(String(20), info={VOCABULARY: Honorific})


class Post(Recorded, Provenance, Base):
    """A title an official held in an organisation, as the document writes it."""

    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("official_id", "organisation_id", "title"),
        quote_span_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    acting: Mapped[bool] = mapped_column(Boolean, default=False)
    # As far as the documents say: the earliest document naming the official in the post,
    # and the date a later document puts the official in the post that replaced it.
    held_from: Mapped[date | None] = mapped_column(Date)
    held_until: Mapped[date | None] = mapped_column(Date)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))


class PostSource(Provenance, Base):
    """A document naming an official in a post (the post's first source is the post row's own)."""

    __tablename__ = "post_source"
    __table_args__ = (
        UniqueConstraint("post_id", "document_id"),
        quote_span_check(),
        Index("ix_post_source_post_id_id", "post_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))


class Participation(Provenance, Base):
    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("meeting_id", "official_id", "role"),
        quote_span_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30), index=True, info={VOCABULARY: ParticipationRole})
    side: Mapped[str] = mapped_column(String(20), info={VOCABULARY: Side})
