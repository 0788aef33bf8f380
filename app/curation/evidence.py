"""The seed loader's own checks, run on what a curator sends: the request becomes a one-document
seed (the document it cites, the one record or statement it adds) and SeedLoader's steps load it,
so a quote is found in its document's text, a date phrase resolved against the document's date (or an
ISO/EDTF date taken as given), an effective date refused when after it, and an unknown slug named,
exactly as for a seed file.

What differs: records are looked up in the database one key at a time (not read whole), every row
written is marked `recorded_by`/`recorded_at`, and a row already there is a conflict, not an update.
"""

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.base import Base
from app.loader.errors import SeedError
from app.loader.load import SeedLoader
from app.loader.records import DocumentRecord, SeedFile
from app.loader.registry import Registry
from app.loader.source import SourceText
from app.loader.sync import Key, Sync
from app.models import Document

REQUEST = "request"


class EvidenceRefused(ValueError):
    """What the loader's checks refused in a request (a quote not in the document, ...): a 422."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AlreadyRecorded(ValueError):
    """The record or statement exists already (a slug in use, a second status from one document): a 409."""


class _RowsByKey(dict[Key, Any]):
    """Sync's index of a table's rows by key, filled one key at a time from the database."""

    def __init__(self, session: Session, model: type, key_names: tuple[str, ...]) -> None:
        super().__init__()
        self.session, self.model, self.key_names = session, model, key_names

    def __missing__(self, key: Key) -> Any:
        columns = [getattr(self.model, name) for name in self.key_names]
        row = self.session.scalars(
            select(self.model).where(*(column == value for column, value in zip(columns, key, strict=True)))
        ).first()
        if row is None:
            raise KeyError(key)
        self[key] = row
        return row

    def get(self, key: Key, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]


class KeyedSync(Sync):
    """Sync reading the rows it needs by key, never a whole table."""

    def _existing(self, model: type, key_names: tuple[str, ...]) -> dict[Key, Any]:
        if model not in self._index:
            self._index[model] = _RowsByKey(self.session, model, key_names)
        return self._index[model]


class RecordingSync(KeyedSync):
    """Inserts only, each row marked with who recorded it and when."""

    def __init__(self, session: Session, recorded_by: str, recorded_at: datetime) -> None:
        super().__init__(session)
        self.recorded = {"recorded_by": recorded_by, "recorded_at": recorded_at}
        self.written: list[Any] = []
        self.conflicts: list[str] = []

    def upsert(
        self, model: type, key: dict[str, Any], *, on_insert: dict[str, Any] | None = None, **values: Any
    ) -> Any:
        existing = self._existing(model, tuple(key)).get(tuple(key.values()))
        if existing is not None:  # refused once the loader's own checks are done (they come first)
            table = model.__tablename__  # type: ignore[attr-defined]
            named = ", ".join(f"{name}={value}" for name, value in key.items())
            self.conflicts.append(f"the {table} with {named} exists already")
            return existing
        marks = self.recorded if hasattr(model, "recorded_by") else {}
        row = super().upsert(model, key, on_insert={**(on_insert or {}), **marks}, **values)
        self.written.append(row)
        return row


class DatabaseRegistry(Registry):
    """Every record in the database counts as defined (by an earlier document)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.conflicts: list[str] = []

    def _in_database(self, table: str, slug: str) -> bool:
        column = Base.metadata.tables[table].c.slug
        return self.session.execute(select(column).where(column == slug)).first() is not None

    def define(self, table: str, slug: str, document_file: str) -> str | None:
        if self._in_database(table, slug):
            self.conflicts.append(f"the {table} {slug!r} exists already; refer to it by its slug")
            return None
        return super().define(table, slug, document_file)

    def defines(self, table: str, slug: str) -> bool:
        return super().defines(table, slug) or self._in_database(table, slug)


class EvidenceLoader(SeedLoader):
    """SeedLoader over one document already in the database and the sections of one request."""

    def __init__(self, session: Session, document: Document, sync: RecordingSync, **sections: Any) -> None:
        record = DocumentRecord(
            slug=document.slug,
            title=document.title,
            issuer=document.issuer,
            published_on=document.published_on,
            url=document.url,
            file=REQUEST,
        )
        self.database = DatabaseRegistry(session)
        self.recording = sync
        super().__init__(session, sync, self.database, Path(REQUEST), SeedFile(document=record, **sections))
        self.source = SourceText(document.text)
        self.published_on = document.published_on
        self.document_id = document.id

    def load(self) -> None:
        """SeedLoader.load's steps, without its document upsert or pruning (the seed's business)."""
        try:
            self._check_text(self.seed)
        except SeedError as error:
            raise EvidenceRefused(error.problems) from error
        self._load_sections()
        if self.problems:
            raise EvidenceRefused(self.problems)
        conflicts = self.database.conflicts + self.recording.conflicts
        if conflicts:
            raise AlreadyRecorded("; ".join(conflicts))
        self.session.flush()

    def _check_not_recorded(self, section: str, index: int, record: Any, model: type, slug: str) -> None:
        """A slug in use is a conflict here (DatabaseRegistry), whoever recorded it."""

    def _problem(self, section: str, index: int, record: Any, message: str) -> None:
        self.problems.append(message)
