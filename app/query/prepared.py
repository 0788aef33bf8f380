"""Statements compiled once per request shape and run straight on the DBAPI cursor.

Building a SQLAlchemy select and going through its execution machinery costs far more
than the indexed query itself (~0.8 ms against ~0.06 ms for a page on SQLite). So the
engine builds each *shape* of request once, with named bind parameters, compiles it
here, and afterwards only binds values and converts rows. Values pass through the same
bind and result processors SQLAlchemy would apply, and DBAPI errors are wrapped and
disconnects invalidated as SQLAlchemy does, so results and errors are unchanged.

It reads a compiled statement's parameter order, bind processors and result columns
(`positiontup`, `_bind_processors`, `_result_columns`): stable through SQLAlchemy 2.x, and
the version is pinned (docs/UPGRADING.md). tests/test_fast_path_differential.py runs every
statement the query engine builds both ways, `fetch` and `fetch_ordinary`, on both engines,
and fails unless they return the same rows; tests/conftest.py fails any test that leaves a
listener on a shared engine (which would send every later test down the ordinary path).
Settings.stock_paths (STOCK_PATHS=1) turns the shortcut off: see `choose_fetch`.
"""

from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

from app.query.lru import LruCache

Row = dict[str, Any]
Processor = Callable[[Any], Any] | None

CACHE_SIZE = 2048
PLAN_EACH_TIME = "coop_plan_each_time"  # an execution option: see Prepared.plan_each_time
ORDINARY_EXECUTION = "coop_ordinary_execution"  # a connection's execution option: see choose_fetch

# Statements `fetch` has run on the DBAPI cursor: how the tests know the shortcut really runs.
# Not locked (an increment is all the hot path pays): exact for requests served one at a time.
fast_path_runs = 0


class Prepared:
    """One compiled statement: its SQL, parameter order and value processors."""

    def __init__(
        self,
        statement: ClauseElement,
        dialect: Dialect,
        parameters: frozenset[str],
        optional: frozenset[str] = frozenset(),
    ) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.statement = statement
        self.sql = compiled.string
        # Literal binds the statement carries itself (OFFSET 0, CASE results): filled once.
        rendered = compiled.construct_params(_check=False)
        # Values a request offers every statement it makes (the dates it reads as of): this one
        # takes those it uses (see StatementCache.get).
        self.optional = optional & rendered.keys()
        parameters = parameters | self.optional
        self.defaults = {k: v for k, v in rendered.items() if k not in parameters}
        missing = {k for k, v in self.defaults.items() if v is None and compiled.binds[k].required}
        unknown = parameters - rendered.keys()
        if missing or unknown:  # the shape's values and its statement must agree exactly
            raise RuntimeError(f"bind parameters do not match the statement: {missing=} {unknown=}")
        self.parameters = parameters
        self.positions: list[str] | None = compiled.positiontup
        self.bind_processors: Mapping[str, Any] = compiled._bind_processors
        self.keys = [entry.keyname for entry in compiled._result_columns or ()]
        self.types = [entry.type for entry in compiled._result_columns or ()]
        self.dialect = dialect
        # psycopg prepares a statement on the server after a few runs, and PostgreSQL may then
        # keep one generic plan for every value; a statement whose best plan depends on its
        # values (a search: a rare word wants the GIN index, a common one a walk of the primary
        # key) asks to be planned for its values on every run.
        options = statement.get_execution_options() if isinstance(statement, Executable) else {}
        self.plan_each_time = bool(options.get(PLAN_EACH_TIME)) and dialect.name == "postgresql"
        self._result_processors: dict[tuple[Any, ...], list[Processor]] = {}

    def bind(self, values: Mapping[str, Any]) -> Any:
        if values.keys() != self.parameters:
            raise RuntimeError(f"expected parameters {sorted(self.parameters)}, got {sorted(values)}")
        params = {**self.defaults, **values}
        for name, process in self.bind_processors.items():
            params[name] = process(params[name])
        if self.positions is None:
            return params
        return [params[name] for name in self.positions]

    def processors(self, description: Any) -> list[Processor]:
        type_codes = tuple(column[1] for column in description)
        processors = self._result_processors.get(type_codes)
        if processors is None:
            processors = [
                type_._cached_result_processor(self.dialect, code)
                for type_, code in zip(self.types, type_codes, strict=True)
            ]
            self._result_processors[type_codes] = processors
        return processors


class StatementCache:
    """Prepared statements by shape, least recently used dropped first (thread-safe)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._entries: LruCache[Hashable, Prepared] = LruCache(size)

    def get(
        self,
        shape: Hashable,
        dialect: Dialect,
        parameters: frozenset[str],
        build: Callable[[], ClauseElement],
        optional: frozenset[str] = frozenset(),
    ) -> Prepared:
        """The statement of `shape`, built and compiled on first use. It takes exactly the
        `parameters`, and those of the `optional` ones it uses (`Prepared.optional`): the same
        for every use of a shape."""
        key = (dialect.name, shape)
        prepared = self._entries.get(key)
        if prepared is None:
            prepared = Prepared(build(), dialect, parameters, optional)
            self._entries.put(key, prepared)
        return prepared


STATEMENTS = StatementCache()


Fetch = Callable[[Connection, Prepared, Mapping[str, Any]], list[Row]]


def choose_fetch(connection: Connection) -> Fetch:
    """How to run statements on `connection`: `fetch`, or `fetch_ordinary` when it was opened
    with the ORDINARY_EXECUTION option (app/api/deps.py does so under Settings.stock_paths)."""
    return fetch_ordinary if connection.get_execution_options().get(ORDINARY_EXECUTION) else fetch


def fetch_ordinary(connection: Connection, prepared: Prepared, values: Mapping[str, Any]) -> list[Row]:
    """Every row of `prepared` run with `values` by SQLAlchemy's ordinary execution: what `fetch`
    must equal, row for row."""
    return [dict(row) for row in connection.execute(cast(Executable, prepared.statement), values).mappings()]


def fetch(connection: Connection, prepared: Prepared, values: Mapping[str, Any]) -> list[Row]:
    """Every row of `prepared` run with `values`, as {label: value} dicts, straight on the cursor."""
    global fast_path_runs
    if connection._has_events or connection.engine._has_events:
        # Listeners (statement logging, tracing, a test's statement counter) see every statement.
        # (A dialect-level do_execute listener would not: fetch does not call the dialect.)
        return fetch_ordinary(connection, prepared, values)
    fast_path_runs += 1
    params = prepared.bind(values)
    fairy = connection.connection  # the pooled DBAPI connection, checked out for this Connection
    cursor = fairy.cursor()
    try:
        if prepared.plan_each_time:
            cursor.execute(prepared.sql, params, prepare=False)  # type: ignore[call-arg]  # psycopg's own
        else:
            cursor.execute(prepared.sql, params)
        rows = cursor.fetchall()
        description = cursor.description
    except Exception as error:
        _raise_wrapped(connection, prepared, params, error, cursor)
    finally:
        cursor.close()
    keys = prepared.keys
    processors = prepared.processors(description)
    if not any(processors):
        return [dict(zip(keys, row, strict=True)) for row in rows]
    converted = ([value if p is None else p(value) for p, value in zip(processors, row, strict=True)] for row in rows)
    return [dict(zip(keys, values, strict=True)) for values in converted]


def _raise_wrapped(connection: Connection, prepared: Prepared, params: Any, error: Exception, cursor: Any) -> None:
    dbapi = connection.dialect.loaded_dbapi
    if not isinstance(error, dbapi.Error):
        raise error
    if connection.dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor):
        connection.invalidate(error)
    wrapped = DBAPIError.instance(prepared.sql, params, error, dbapi.Error, dialect=connection.dialect)
    raise wrapped from error


@contextmanager
def planned_each_time(connection: Connection) -> Iterator[None]:
    """Statements run through SQLAlchemy inside the block are planned for their values every
    time: psycopg does not prepare them on the server (where PostgreSQL could settle on one
    generic plan). For the changes and the history, whose best plans depend on the document,
    the initiative and the LIMIT (at 1M, /changes took 48 ms on a generic plan, 13 ms planned)."""
    dbapi_connection: Any = connection.connection.dbapi_connection
    if not hasattr(dbapi_connection, "prepare_threshold"):  # SQLite: nothing is prepared on a server
        yield
        return
    saved = dbapi_connection.prepare_threshold
    dbapi_connection.prepare_threshold = None
    try:
        yield
    finally:
        dbapi_connection.prepare_threshold = saved
