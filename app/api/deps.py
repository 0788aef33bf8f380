"""Dependencies declared once and reused by every route, and how routes run their database work."""

from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from app.api.pool_gate import PoolGate
from app.db.engine import read_snapshot

T = TypeVar("T")


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _pool_gate(request: Request) -> PoolGate:
    gate = getattr(request.app.state, "pool_gate", None)
    if gate is None:
        settings = request.app.state.settings
        gate = request.app.state.pool_gate = PoolGate(
            settings.db_pool_size + settings.db_max_overflow, settings.db_pool_timeout_s
        )
    return gate


def runs_inline(connection: Connection | Engine) -> bool:
    """SQLite work runs on the event loop; PostgreSQL work in a worker thread.

    SQLite is in-process CPU work that takes microseconds for an indexed page: a thread hop
    (and the GIL hand-over that comes with it) costs more than the query, and a worker
    thread would not make it any less CPU. PostgreSQL waits on the network.
    """
    return connection.dialect.name == "sqlite"


def _connect(engine: Engine) -> Connection:
    return read_snapshot(engine.connect())


async def get_connection(request: Request) -> AsyncIterator[Connection]:
    """A connection reading one snapshot, taken once a pool slot is free (app/api/pool_gate.py)."""
    engine = get_engine(request)
    inline = runs_inline(engine)
    async with _pool_gate(request).slot():
        connection = _connect(engine) if inline else await run_in_threadpool(_connect, engine)
        try:
            yield connection
        finally:
            if inline:
                connection.close()
            else:
                with anyio.CancelScope(shield=True):  # a client hanging up must not leak the connection
                    await run_in_threadpool(connection.close)


async def run_query(connection: Connection, work: Callable[[Connection], T]) -> T:
    """Run a route's database work: all of it in one call, inline or in one thread hop."""
    if runs_inline(connection):
        return work(connection)
    return await run_in_threadpool(work, connection)


DbConnection = Annotated[Connection, Depends(get_connection)]
DbEngine = Annotated[Engine, Depends(get_engine)]
