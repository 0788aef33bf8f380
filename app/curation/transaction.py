"""One write through the API: one transaction that takes the write lock, runs the change, bumps
the data revision (so every worker's ETags change at once: they are derived from it) and appends
one audit entry. A failure anywhere rolls all of it back: nothing is ever half-written."""

import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from app.curation.keys import Caller
from app.models import AuditEntry, DataRevision


@dataclass(frozen=True)
class WriteRequest:
    """Who asks for a write, and the request the audit names."""

    caller: Caller
    method: str
    path: str
    request_id: str | None


@dataclass(frozen=True)
class Written:
    """What a write changed: the record (its type and id), as it was and as it is now."""

    record_type: str
    record_id: int
    before: dict[str, Any] | None
    after: dict[str, Any]
    location: str  # where the API serves it


@dataclass(frozen=True)
class Committed:
    written: Written
    revision: str  # the data revision after the write


class Precondition:
    """The revision a write saw when it took the lock: an If-Match check compares against it."""

    def __init__(self, revision: str) -> None:
        self.revision = revision


Work = Callable[[Session, datetime, Precondition], Written]


def run_write(engine: Engine, request: WriteRequest, work: Work) -> Committed:
    """Run `work` in one transaction, serialised with every other write (and seed load)."""
    with _in_turn(engine):
        return _run_write(engine, request, work)


# SQLite's busy handler polls with sleeps and favours no one: twenty writers of one process
# contending for its lock starved some past the busy timeout ("database is locked"). Within a
# process they take turns here, so SQLite's lock is only contended by other processes.
_SQLITE_TURNS: dict[str, threading.Lock] = {}
_TURNS_LOCK = threading.Lock()


@contextmanager
def _in_turn(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "sqlite":
        yield
        return
    with _TURNS_LOCK:
        turn = _SQLITE_TURNS.setdefault(str(engine.url), threading.Lock())
    with turn:
        yield


def _run_write(engine: Engine, request: WriteRequest, work: Work) -> Committed:
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        revision = _lock(session, now)
        written = work(session, now, Precondition(revision))
        new_revision = hashlib.sha256(f"{revision}|{uuid.uuid4().hex}".encode()).hexdigest()
        session.execute(update(DataRevision).where(DataRevision.id == 1).values(revision=new_revision, changed_at=now))
        session.execute(
            insert(AuditEntry).values(
                recorded_at=now,
                key_name=request.caller.name,
                key_prefix=request.caller.prefix,
                method=request.method,
                path=request.path,
                request_id=request.request_id,
                record_type=written.record_type,
                record_id=written.record_id,
                before=None if written.before is None else _json(written.before),
                after=_json(written.after),
            )
        )
    return Committed(written, new_revision)


def _lock(session: Session, now: datetime) -> str:
    """Take the write lock and return the data revision under it.

    Writing the one data_revision row first is the lock on both engines: PostgreSQL locks the row
    until commit; SQLite takes its write lock with the transaction's first write (so no reader
    upgrades to a writer midway, the usual source of "database is locked"), and other writers
    wait for it up to the busy timeout."""
    result = session.execute(update(DataRevision).where(DataRevision.id == 1).values(revision=DataRevision.revision))
    if result.rowcount == 0:  # type: ignore[attr-defined]  # a database never loaded
        session.add(DataRevision(id=1, revision="empty", changed_at=now))
        session.flush()
    return str(session.scalar(select(DataRevision.revision).where(DataRevision.id == 1)))


def snapshot(row: Any) -> dict[str, Any]:
    """A row's columns as JSON-ready values, for the audit's before and after."""
    return {column.key: _plain(getattr(row, column.key)) for column in row.__table__.columns}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _json(record: dict[str, Any]) -> str:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode()
