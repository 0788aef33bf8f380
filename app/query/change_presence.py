"""Which kinds of change a document can have: those whose table (`Branch.table`) holds a row of
the document. A follow-up that adds no record has no rows in most of the sixteen kinds' tables,
and running their queries anyway cost a planning and a round trip each on PostgreSQL.

One statement answers for every table (an EXISTS probe per table, each one seek of its
`document_id` index), and the answer is kept per (database, data revision, document): every
write through the API and every load or synthesis changes the revision (app/curation/
transaction.py, app/loader/load.py), so an answer is never used for data it was not read from.
A request reads the revision in its own snapshot (app/db/engine.py: read_snapshot), the same
one its changes are read from."""

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, exists, select

from app.models import DataRevision
from app.query.change_kinds import BRANCHES
from app.query.prepared import STATEMENTS, choose_fetch

CACHE_SIZE = 1024  # (database, revision, document) answers kept; a few dozen documents per revision
# The tables the kinds read, each once, in the order of their first kind.
TABLES: list[Any] = list(dict.fromkeys(branch.table for branch in BRANCHES))


class PresenceCache:
    """Answers by (database, revision, document), least recently used dropped first (thread-safe)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, frozenset[int]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> frozenset[int] | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: frozenset[int]) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            if len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


PRESENCE = PresenceCache()


class DocumentKinds:
    """The ranks (places in BRANCHES) of the kinds each document can have, for one request:
    the data revision is read once, on the first document asked about."""

    def __init__(self, connection: Connection, cache: PresenceCache = PRESENCE) -> None:
        self.connection = connection
        self.cache = cache
        self._revision: str | None = None

    def ranks(self, document_id: int) -> frozenset[int]:
        key = (self._database(), self._read_revision(), document_id)
        answer = self.cache.get(key)
        if answer is None:
            answer = probe(self.connection, document_id)
            self.cache.put(key, answer)
        return answer

    def _database(self) -> str:
        # Tests and benchmarks serve several databases from one process, which may share a revision.
        return self.connection.engine.url.render_as_string(hide_password=True)

    def _read_revision(self) -> str:
        if self._revision is None:
            run = choose_fetch(self.connection)
            prepared = STATEMENTS.get(
                ("revision",), self.connection.dialect, frozenset(), lambda: select(DataRevision.revision)
            )
            rows = run(self.connection, prepared, {})
            self._revision = str(rows[0]["revision"]) if rows else ""
        return self._revision


def probe(connection: Connection, document_id: int) -> frozenset[int]:
    """The ranks of the kinds whose table holds a row of the document, read in one statement."""
    prepared = STATEMENTS.get(("change presence",), connection.dialect, frozenset({"document_id"}), _probe_statement)
    row = choose_fetch(connection)(connection, prepared, {"document_id": document_id})[0]
    present = {table for i, table in enumerate(TABLES) if row[f"t{i}"]}
    return frozenset(rank for rank, branch in enumerate(BRANCHES) if branch.table in present)


def _probe_statement() -> Select[Any]:
    document = bindparam("document_id", type_=Integer)
    return select(*(exists().where(table.document_id == document).label(f"t{i}") for i, table in enumerate(TABLES)))
