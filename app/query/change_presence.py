"""Which kinds of change a document can have: those whose table (`Branch.table`) holds a row of
the document. A follow-up that adds no record has no rows in most of the sixteen kinds' tables,
and running their queries anyway cost a planning and a round trip each on PostgreSQL.

One statement answers for every table (an EXISTS probe per table, each one seek of its
`document_id` index), and the answer is kept per (database, data revision, document): every
write through the API and every load or synthesis changes the revision (app/curation/
transaction.py, app/loader/load.py), so an answer is never used for data it was not read from.
The revision is read with the documents (app/query/changes.py), in the request's snapshot
(app/db/engine.py: read_snapshot), so it is the revision of the very data the kinds are read from."""

from collections.abc import Hashable
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, exists, select

from app.models import DataRevision
from app.query.change_kinds import BRANCHES
from app.query.hints import Rare
from app.query.lru import LruCache
from app.query.prepared import STATEMENTS, choose_fetch

CACHE_SIZE = 1024  # (database, revision, document) answers kept; a few dozen documents per revision
# The tables the kinds read, each once, in the order of their first kind.
TABLES: list[Any] = list(dict.fromkeys(branch.table for branch in BRANCHES))


# Answers by (database, revision, document), least recently used dropped first.
PresenceCache = LruCache[Hashable, frozenset[int]]

PRESENCE = PresenceCache(CACHE_SIZE)


def revision_column() -> Any:
    """The data revision, as a column of the statement that reads the documents (no round trip
    of its own)."""
    return select(DataRevision.revision).scalar_subquery().label("data_revision")


def ranks_of(
    connection: Connection, revision: str | None, document_id: int, cache: PresenceCache = PRESENCE
) -> frozenset[int]:
    """The ranks (places in BRANCHES) of the kinds the document can have, in data `revision`
    (read in the request's snapshot, with the document)."""
    # Tests and benchmarks serve several databases from one process, which may share a revision.
    if revision is None:  # a database never loaded: nothing tells its versions apart
        return probe(connection, document_id)
    key = (connection.engine.url.render_as_string(hide_password=True), revision, document_id)
    answer = cache.get(key)
    if answer is None:
        answer = probe(connection, document_id)
        cache.put(key, answer)
    return answer


def probe(connection: Connection, document_id: int) -> frozenset[int]:
    """The ranks of the kinds whose table holds a row of the document, read in one statement."""
    prepared = STATEMENTS.get(("change presence",), connection.dialect, frozenset({"document_id"}), _probe_statement)
    row = choose_fetch(connection)(connection, prepared, {"document_id": document_id})[0]
    present = {table for i, table in enumerate(TABLES) if row[f"t{i}"]}
    return frozenset(rank for rank, branch in enumerate(BRANCHES) if branch.table in present)


def _probe_statement() -> Select[Any]:
    document = bindparam("document_id", type_=Integer)
    # Rare: after ANALYZE, SQLite reads `document_id = ?` on a table whose rows all come from the
    # first document as matching every row, and scans the table (236 ms at 100k for a follow-up
    # with no such rows) rather than seek the index it has.
    probes: list[Any] = [
        exists().where(Rare(table.document_id == document)).label(f"t{i}") for i, table in enumerate(TABLES)
    ]
    return select(*probes)
