"""What curators need to write through the API: keys (kept as hashes), the append-only audit
trail, and the columns that mark a row as recorded through the API or withdrawn."""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import VOCABULARY, Base
from app.db.types import UtcDateTime
from app.models.vocab import KeyScope


class Recorded:
    """Who recorded a row through the API, and when; both null for what the seed loaded. The seed
    loader never removes nor rewrites a row that has them (app/loader/load.py)."""

    recorded_by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Withdrawable:
    """A statement a curator retracted: kept, and shown as withdrawn, never deleted."""

    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiKey(Base):
    """A key as the database keeps it: a SHA-256 of the secret and the public prefix naming it."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(10), info={VOCABULARY: KeyScope})
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """One successful write: who (the key's name and prefix, never the key), when, the request,
    and the record before and after (JSON). Append-only: the database refuses UPDATE and DELETE."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_recorded_at_id", "recorded_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    key_name: Mapped[str] = mapped_column(String(120), index=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(128))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
