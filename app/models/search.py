"""The text of every searchable record, indexed by FTS5 (SQLite) or tsvector (PostgreSQL).

The full-text index itself is engine-specific and created by the migrations only
(see migrations/versions/*search*): an FTS5 external-content table kept in sync by
triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL. Their
names, and this table's, are in app/db/fulltext_names.py.
"""

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.fulltext_names import SEARCH_ENTRY_TABLE


class SearchEntry(Base):
    __tablename__ = SEARCH_ENTRY_TABLE
    __table_args__ = (
        UniqueConstraint("resource", "record_id"),
        Index("ix_search_entry_record_id_resource", "record_id", "resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
