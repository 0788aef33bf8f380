"""What each document added or changed: the records it defines, status changes (with the status
before), new figures (with the value before), targets met, met late or superseded, and posts
started or ended. Documents newest first (or oldest), each one's changes in a fixed order of
kinds, then by id; paged by keyset on (document date, document id, kind, id).

Each kind is one small query of one document's rows (`document_id` is indexed everywhere), run
in order until the page is full: a page costs its own rows, however large the document. The
kinds a document has no rows for are not run (app/query/change_presence.py)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, Integer, Select, bindparam, select, tuple_

from app.models import Document
from app.models.vocab import ChangeKind, DatePrecision, DateQualifier
from app.query import entries
from app.query.change_kinds import BRANCHES
from app.query.change_presence import ranks_of, revision_column
from app.query.cursor import CursorScope, decode_cursor, encode_cursor, filters_digest
from app.query.engine import Page, nest
from app.query.errors import NotFound
from app.query.prepared import PLAN_EACH_TIME, STATEMENTS, Fetch, choose_fetch, planned_each_time

KEY_TYPES: list[type] = [date, int, int, int]
DOCUMENT_BATCH = 100  # documents read at a time while a page fills
DOCUMENT_ID_LIMIT = 2**31


@dataclass(frozen=True)
class ChangesRequest:
    """What a client asked of the changes, validated for type and range."""

    kinds: Sequence[ChangeKind] = ()  # empty: every kind
    document: str | None = None  # one document's changes (its id or slug)
    published_from: date | None = None  # documents published on or after
    published_to: date | None = None  # documents published on or before
    newest_first: bool = True
    limit: int = 50
    cursor: str | None = None


def changes(connection: Connection, request: ChangesRequest) -> Page:
    with planned_each_time(connection):
        return _changes(connection, request)


def _changes(connection: Connection, request: ChangesRequest) -> Page:
    one = None if request.document is None else _document(connection, request.document)
    document_id = None if one is None else one["id"]
    scope = CursorScope(
        "changes" if document_id is None else f"the changes of document {document_id}",
        f"{'-' if request.newest_first else ''}published_on",
        filters_digest(request.kinds, request.published_from, request.published_to),
    )
    position = decode_cursor(request.cursor, scope, KEY_TYPES) if request.cursor else None
    ranks = [rank for rank, branch in enumerate(BRANCHES) if not request.kinds or branch.kind in request.kinds]
    wanted = request.limit + 1
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    documents = _documents(connection, request, position) if one is None else _if_published_within(one, request)
    for document in documents:
        present = ranks_of(connection, document["data_revision"], document["id"])
        for rank in ranks:
            if rank not in present:
                continue
            after = None
            if position is not None and document["id"] == position[1]:  # the page starts in this document
                if rank < position[2]:
                    continue
                after = position[3] if rank == position[2] else None
            values: dict[str, Any] = {
                "document_id": document["id"],
                "published_on": document["published_on"],
                "limit": wanted - len(found),
            }
            if after is not None:
                values["after"] = after
            for row in _kind_rows(connection, rank, values):
                row["rank"] = rank
                found.append((document, row))
            if len(found) >= wanted:
                break
        if len(found) >= wanted:
            break
    next_cursor = None
    if len(found) > request.limit:
        found = found[: request.limit]
        document, last = found[-1]
        next_cursor = encode_cursor(scope, [document["published_on"], document["id"], last["rank"], last["entry_id"]])
    return Page(items=[_finish(document, row) for document, row in found], next_cursor=next_cursor)


def _columns() -> list[Any]:
    """What the changes show of a document, and the data revision they are read in."""
    return [Document.id, Document.slug, Document.title, Document.published_on, Document.issuer, revision_column()]


def _document(connection: Connection, key: str) -> dict[str, Any]:
    """One document by id or slug (one statement: its changes need no other read of it)."""
    if key.isdigit():
        condition = Document.id == int(key) if int(key) < DOCUMENT_ID_LIMIT else None
    else:
        condition = Document.slug == key
    found = None if condition is None else connection.execute(select(*_columns()).where(condition)).mappings().first()
    if found is None:
        raise NotFound("document", key)
    return dict(found)


def _if_published_within(document: dict[str, Any], request: ChangesRequest) -> list[dict[str, Any]]:
    day = document["published_on"]
    after_start = request.published_from is None or day >= request.published_from
    before_end = request.published_to is None or day <= request.published_to
    return [document] if after_start and before_end else []


def _documents(connection: Connection, request: ChangesRequest, position: list[Any] | None) -> Iterator[dict[str, Any]]:
    """The documents in page order, from the cursor's on, read a batch at a time."""
    key = tuple_(Document.published_on, Document.id)
    base = select(*_columns())
    if request.published_from is not None:
        base = base.where(Document.published_on >= request.published_from)
    if request.published_to is not None:
        base = base.where(Document.published_on <= request.published_to)
    if request.newest_first:
        base = base.order_by(Document.published_on.desc(), Document.id.desc())
    else:
        base = base.order_by(Document.published_on, Document.id)
    start: tuple[date, int] | None = None if position is None else (position[0], position[1])
    inclusive = True  # the cursor's document may have more changes; a batch's last has been read
    while True:
        statement = base
        if start is not None:
            bound = tuple_(bindparam("from_on", start[0], type_=Date), bindparam("from_id", start[1], type_=Integer))
            if request.newest_first:
                statement = statement.where(key <= bound if inclusive else key < bound)
            else:
                statement = statement.where(key >= bound if inclusive else key > bound)
        batch = [dict(row) for row in connection.execute(statement.limit(DOCUMENT_BATCH)).mappings()]
        yield from batch
        if len(batch) < DOCUMENT_BATCH:
            return
        start, inclusive = (batch[-1]["published_on"], batch[-1]["id"]), False


def _finish(document: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    entry = nest(row)
    if entry["effective"]["on"] is None:  # dated by the document itself
        day = document["published_on"]
        entry["effective"] = {
            "phrase": None,
            "start": day,
            "end": day,
            "precision": DatePrecision.DAY.value,
            "qualifier": DateQualifier.ON.value,
            "edtf": None,
            "on": day,
        }
    entry["document"] = {name: document[name] for name in ("id", "slug", "title", "published_on", "issuer")}
    post = entry["post"]
    if post is not None:
        post["organisation"] = {name: post.pop(f"organisation_{name}") for name in ("id", "slug", "name")}
    return entries.finish(entry)


def _kind_rows(
    connection: Connection, rank: int, values: dict[str, Any], run: Fetch | None = None
) -> list[dict[str, Any]]:
    """One kind's rows, run by app/query/prepared.py's shortcut (SQLAlchemy's execution and Row
    objects cost more than the query), planned for its values on PostgreSQL. `run`: how, for
    tests/test_api_changes_cost.py, which runs every kind both ways."""
    after = "after" in values

    def build() -> Select[Any]:
        return _statement(rank, after).execution_options(**{PLAN_EACH_TIME: True})

    # Not every kind reads the document's date (`published_on`): each takes it if it does.
    required = frozenset(values) - {"published_on"}
    prepared = STATEMENTS.get(
        ("changes", rank, after), connection.dialect, required, build, frozenset({"published_on"})
    )
    run = run or choose_fetch(connection)
    return run(connection, prepared, {name: values[name] for name in prepared.parameters})


@lru_cache(maxsize=64)
def _statement(rank: int, after: bool) -> Select[Any]:
    return (
        BRANCHES[rank]
        .build(bindparam("after", type_=Integer) if after else None)
        .limit(bindparam("limit", type_=Integer))
    )
