"""A statement timeout for SQLite, which has none of its own.

SQLite runs in the worker's process (on its event loop: app/api/deps.runs_inline), so one
runaway statement would stall every request the worker holds. A progress handler, called by
SQLite every CHECK_EVERY virtual-machine instructions, interrupts the statement once it is past
its deadline; the driver raises sqlite3.OperationalError("interrupted"), which SQLAlchemy wraps
as PostgreSQL's cancelled statements are wrapped, and the API answers both with the same 503.

The deadline is armed by each call that makes SQLite run a statement (execute, executemany, and
each fetch: SQLite computes rows as they are fetched) and disarmed when the call returns. So
each call into SQLite is bounded, on the ordinary SQLAlchemy path and on the raw DBAPI cursor of
app/query/prepared.py alike; the time a caller spends between fetches (a streamed export
writing its rows) is not counted, as PostgreSQL does not count it between the FETCHes of a
server-side cursor; and what runs with no call armed (COMMIT, the pool's ROLLBACK) is never cut.
"""

import sqlite3
from collections.abc import Iterable
from time import monotonic
from typing import Any

# ~0.1-0.5 ms of SQLite work between checks: the check is lost in the noise of a query, and a
# runaway statement overruns its deadline by no more than that.
CHECK_EVERY = 10_000
NEVER = float("inf")
INTERRUPTED = "interrupted"  # sqlite3's message for SQLITE_INTERRUPT

Parameters = Any  # what sqlite3 takes: a sequence, or a mapping of names


class _Clock:
    """One connection's deadline (kept off the connection: the handler holds no reference to it)."""

    __slots__ = ("deadline", "timeout_s")

    def __init__(self) -> None:
        self.timeout_s = NEVER
        self.deadline = NEVER

    def passed(self) -> bool:
        """The progress handler: True interrupts the running statement."""
        return monotonic() > self.deadline


class TimedCursor(sqlite3.Cursor):
    def __init__(self, connection: "TimedConnection") -> None:
        super().__init__(connection)
        self._clock = connection.clock

    def execute(self, sql: str, parameters: Parameters = (), /) -> "TimedCursor":
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            super().execute(sql, parameters)
            return self
        finally:
            clock.deadline = NEVER

    def executemany(self, sql: str, seq_of_parameters: Iterable[Parameters], /) -> "TimedCursor":
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            super().executemany(sql, seq_of_parameters)
            return self
        finally:
            clock.deadline = NEVER

    def fetchone(self) -> Any:
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            return super().fetchone()
        finally:
            clock.deadline = NEVER

    def fetchmany(self, size: int | None = None) -> list[Any]:
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        finally:
            clock.deadline = NEVER

    def fetchall(self) -> list[Any]:
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            return super().fetchall()
        finally:
            clock.deadline = NEVER

    def __next__(self) -> Any:
        clock = self._clock
        clock.deadline = monotonic() + clock.timeout_s
        try:
            return super().__next__()
        finally:
            clock.deadline = NEVER


class TimedConnection(sqlite3.Connection):
    """A sqlite3 connection (pass as sqlite3.connect's `factory`) whose calls are cut after
    `timeout_s` once `limit_statements` has been called; until then it behaves as any other."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock = _Clock()

    def limit_statements(self, timeout_s: float) -> None:
        self.clock.timeout_s = timeout_s
        self.set_progress_handler(self.clock.passed, CHECK_EVERY)

    def cursor(self, factory: Any = TimedCursor) -> Any:
        return super().cursor(factory)

    # sqlite3's own shortcuts run a cursor's C code directly, past TimedCursor: go through it.
    def execute(self, sql: str, parameters: Parameters = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Parameters], /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)


def is_interrupted(error: BaseException) -> bool:
    """Whether a DBAPI error is SQLite interrupting a statement past its deadline."""
    return isinstance(error, sqlite3.OperationalError) and str(error) == INTERRUPTED
