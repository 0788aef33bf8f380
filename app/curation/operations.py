"""The writes a curator can make, each run inside `run_write` (app/curation/transaction.py):
a document, a record or a statement with its evidence, a withdrawal, a merge patch."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.curation.evidence import AlreadyRecorded, EvidenceLoader, EvidenceRefused, KeyedSync, RecordingSync
from app.curation.requests import NewDocument
from app.curation.transaction import Written, snapshot
from app.loader.derived import derive_current_state
from app.loader.junk import clean_text, junk_in
from app.loader.periods import derive_latest_observations
from app.loader.records import Record
from app.loader.search_text import sync_search_entry
from app.loader.source import SourceText
from app.loader.sync import Sync
from app.models import (
    Agreement,
    Document,
    Initiative,
    Metric,
    Milestone,
    Official,
    Organisation,
    Place,
    StatusStatement,
    TargetReached,
)
from app.query.errors import NotFound


@dataclass(frozen=True)
class Collection:
    """Where the API serves the rows of a table, and their search resource (None: not searched)."""

    path: str
    search: str | None

    def location(self, row: Any) -> str:
        return f"{self.path}/{row.slug}" if hasattr(row, "slug") else f"{self.path}/{row.id}"


COLLECTIONS: dict[type, Collection] = {
    Document: Collection("/documents", "documents"),
    Initiative: Collection("/initiatives", "initiatives"),
    Agreement: Collection("/agreements", "agreements"),
    Organisation: Collection("/organisations", "organisations"),
    Place: Collection("/places", "places"),
    Official: Collection("/officials", "officials"),
    Milestone: Collection("/milestones", "milestones"),
    Metric: Collection("/metrics", "metrics"),
    StatusStatement: Collection("/status-statements", None),
    TargetReached: Collection("/targets-reached", None),
}


def find(session: Session, model: type, key: str, resource: str) -> Any:
    """The row of `model` with this id or slug, or NotFound (a 404)."""
    column = model.id if key.isdigit() else model.slug  # type: ignore[attr-defined]
    value: int | str = int(key) if key.isdigit() and int(key) < 2**31 else key
    row = session.scalars(select(model).where(column == value)).first()
    if row is None:
        raise NotFound(resource, key)
    return row


def record_document(session: Session, now: datetime, recorded_by: str, body: NewDocument) -> Written:
    if body.published_on > now.date():
        raise EvidenceRefused([f"published_on {body.published_on} is in the future"])
    source = SourceText(clean_text(body.text))
    problems = [f"{name}: {junk}" for name in ("title", "issuer") if (junk := junk_in(getattr(body, name)))]
    if problems:
        raise EvidenceRefused(problems)
    if session.scalar(select(Document.id).where(Document.slug == body.slug)) is not None:
        raise AlreadyRecorded(f"the document {body.slug!r} exists already")
    document = Document(
        slug=body.slug,
        title=body.title,
        issuer=body.issuer,
        published_on=body.published_on,
        url=body.url,
        text=source.text,
        sha256=source.sha256,
        # No seed file: its place holds the text's hash, so the data revision still tells versions apart.
        seed_sha256=hashlib.sha256(source.text.encode()).hexdigest(),
        recorded_by=recorded_by,
        recorded_at=now,
    )
    session.add(document)
    session.flush()
    sync_search_entry(session, KeyedSync(session), "documents", document.id)
    return written(document, None, omit={"text"})


def record_with_evidence(
    session: Session, now: datetime, recorded_by: str, document_slug: str, section: str, record: Record, model: type
) -> Written:
    """Load `record` as the `section` of a seed citing `document_slug`: the loader's checks, its rows."""
    document = session.scalars(select(Document).where(Document.slug == document_slug)).first()
    if document is None:
        raise EvidenceRefused([f"unknown document {document_slug!r}"])
    sync = RecordingSync(session, recorded_by, now)
    EvidenceLoader(session, document, sync, **{section: [record]}).load()
    primary = next(row for row in sync.written if isinstance(row, model))
    _derive(session, sync.written)
    return written(primary, None)


def _derive(session: Session, rows: list[Any]) -> None:
    """What the rows change elsewhere: initiatives' status, due window and status periods,
    series' latest figures, search entries."""
    initiative_ids: set[int] = set()
    series_ids: set[int] = set()
    for row in rows:
        if isinstance(row, Initiative):
            initiative_ids.add(row.id)
        elif isinstance(row, StatusStatement | Milestone) and row.initiative_id is not None:
            initiative_ids.add(row.initiative_id)
        elif isinstance(row, Metric):
            series_ids.add(row.series_id)
    if initiative_ids:
        derive_current_state(session, Sync(session), initiative_ids)
    if series_ids:
        derive_latest_observations(session, series_ids)
    search = KeyedSync(session)
    for row in rows:
        collection = COLLECTIONS.get(type(row))
        if collection is not None and collection.search is not None:
            sync_search_entry(session, search, collection.search, row.id)


def withdraw(session: Session, now: datetime, withdrawn_by: str, model: type, key: str, reason: str) -> Written:
    """Mark a statement withdrawn (kept, shown as such, no longer counted); once only."""
    resource = COLLECTIONS[model].path.strip("/")
    statement = find(session, model, key, resource) if key.isdigit() else None
    if statement is None:
        raise NotFound(resource, key)
    if statement.withdrawn_at is not None:
        raise AlreadyRecorded(f"the statement {key} was withdrawn already, at {statement.withdrawn_at.isoformat()}")
    before = snapshot(statement)
    statement.withdrawn_reason, statement.withdrawn_by, statement.withdrawn_at = reason, withdrawn_by, now
    session.flush()
    if isinstance(statement, StatusStatement):
        derive_current_state(session, Sync(session), {statement.initiative_id})
    return written(statement, before)


class PatchRefused(ValueError):
    """A merge patch naming fields it may not change: a 422 naming each."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['name']}: {e['detail']}" for e in errors))
        self.errors = errors


class SeedRecord(ValueError):
    """A record the seed loaded: its words are the seed file's (a reload would overwrite a patch): a 409."""


def check_patch(patch: dict[str, Any], fields: type[BaseModel], shown: set[str]) -> None:
    """Refuse, naming each, the fields a patch may not change: those the record shows (id, slug, its
    source, ...) are read-only; any other name is unknown."""
    errors = [
        {"name": name, "detail": "read-only" if name in shown else "unknown field"}
        for name in patch
        if name not in fields.model_fields
    ]
    if errors:
        raise PatchRefused(errors)


def merge_patch(session: Session, model: type, key: str, fields: type[BaseModel], patch: dict[str, Any]) -> Written:
    """RFC 7396 on a record's descriptive fields (`fields`: each optional; null removes an optional one)."""
    resource = COLLECTIONS[model].path.strip("/")
    row = find(session, model, key, resource)
    if row.recorded_by is None:
        raise SeedRecord(
            f"the {resource.rstrip('s')} {row.slug!r} was loaded from the seed; correct it in its seed file"
        )
    values = fields.model_validate(patch)  # unknown names and bad values: a ValidationError (422)
    required = {name for name, column in model.__table__.columns.items() if not column.nullable}  # type: ignore[attr-defined]
    nulled = [name for name in patch if patch[name] is None and name in required]
    if nulled:
        raise PatchRefused([{"name": name, "detail": "cannot be removed (null): it is required"} for name in nulled])
    before = snapshot(row)
    for name in patch:
        value = getattr(values, name)
        setattr(row, name, getattr(value, "value", value))
    session.flush()
    _derive(session, [row])  # an initiative's kind, a figure's date: what is derived from them
    return written(row, before)


def written(row: Any, before: dict[str, Any] | None, omit: frozenset[str] | set[str] = frozenset()) -> Written:
    after = {name: value for name, value in snapshot(row).items() if name not in omit}
    if before is not None:
        before = {name: value for name, value in before.items() if name not in omit}
    return Written(
        record_type=row.__tablename__,
        record_id=row.id,
        before=before,
        after=after,
        location=COLLECTIONS[type(row)].location(row),
    )
