"""API keys: made with a high-entropy secret shown once, stored as a SHA-256 and a public prefix,
checked in constant time, revoked (never deleted, so the audit keeps naming them)."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from app.models import ApiKey
from app.models.vocab import KeyScope

KEY_MARK = "coop"  # keys read coop_<prefix>_<secret>: recognisable in a leaked file or a secret scanner
PREFIX_BYTES = 6  # 12 hex digits: public, names the key in listings and the audit
SECRET_BYTES = 32  # 256 bits from the OS's CSPRNG: a plain hash is then as good as a slow one
# Compared against when the prefix names no key, so an unknown key costs the same as a wrong one.
_NO_KEY_SHA256 = hashlib.sha256(b"no such key").hexdigest()


class KeyRefused(ValueError):
    """A key that cannot be made or revoked as asked (a name in use, no such key)."""


@dataclass(frozen=True)
class Caller:
    """Who is writing: what the audit and `recorded_by` name (never the key itself)."""

    name: str
    prefix: str
    scope: KeyScope

    def may(self, scope: KeyScope) -> bool:
        return self.scope is KeyScope.ADMIN or scope is self.scope


@dataclass(frozen=True)
class KeyListing:
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(engine: Engine, name: str, scope: KeyScope, expires_at: datetime | None = None) -> str:
    """Store a new key and return it: the only time it is ever shown."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    key = f"{KEY_MARK}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    row = ApiKey(
        name=name,
        prefix=prefix,
        secret_sha256=_sha256(key),
        scope=scope.value,
        created_at=datetime.now(UTC),
        expires_at=expires_at,
    )
    try:
        with engine.begin() as connection:
            connection.execute(ApiKey.__table__.insert().values(**_columns(row)))  # type: ignore[attr-defined]
    except IntegrityError as error:
        raise KeyRefused(f"a key named {name!r} exists already") from error
    return key


def _columns(row: ApiKey) -> dict[str, object]:
    return {column.name: getattr(row, column.name) for column in ApiKey.__table__.columns if column.name != "id"}


def list_keys(engine: Engine) -> list[KeyListing]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                ApiKey.name, ApiKey.prefix, ApiKey.scope, ApiKey.created_at, ApiKey.expires_at, ApiKey.revoked_at
            ).order_by(ApiKey.created_at, ApiKey.id)
        ).mappings()
        return [KeyListing(**row) for row in rows]


def revoke_key(engine: Engine, name_or_prefix: str) -> str:
    """Revoke the key with this name or prefix; returns its name. Revoking twice is refused."""
    with engine.begin() as connection:
        row = connection.execute(
            select(ApiKey.id, ApiKey.name, ApiKey.revoked_at).where(
                (ApiKey.name == name_or_prefix) | (ApiKey.prefix == name_or_prefix)
            )
        ).first()
        if row is None:
            raise KeyRefused(f"no key named or prefixed {name_or_prefix!r}")
        if row.revoked_at is not None:
            raise KeyRefused(f"the key {row.name!r} was revoked already, at {row.revoked_at}")
        connection.execute(
            ApiKey.__table__.update().where(ApiKey.id == row.id).values(revoked_at=datetime.now(UTC))  # type: ignore[attr-defined]
        )
        return str(row.name)


def prefix_of(key: str) -> str | None:
    """The public prefix of a well-formed key, or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_MARK or len(parts[1]) != 2 * PREFIX_BYTES or not parts[2]:
        return None
    return parts[1]


def verify_key(connection: Connection, key: str, now: datetime) -> Caller | None:
    """The caller this key belongs to, if it is a live key; None for anything else (malformed,
    unknown, wrong secret, expired, revoked), with the same hash comparison in every case."""
    prefix = prefix_of(key)
    row = None
    if prefix is not None:
        row = connection.execute(
            select(
                ApiKey.name, ApiKey.prefix, ApiKey.scope, ApiKey.secret_sha256, ApiKey.expires_at, ApiKey.revoked_at
            ).where(ApiKey.prefix == prefix)
        ).first()
    stored = row.secret_sha256 if row is not None else _NO_KEY_SHA256
    matches = hmac.compare_digest(_sha256(key), stored)
    if row is None or not matches or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    return Caller(name=row.name, prefix=row.prefix, scope=KeyScope(row.scope))
