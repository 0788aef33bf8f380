"""Dependencies declared once and reused by every route, and how routes run their database work."""

from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from app.api.pool_gate import PoolGate
from app.db.engine import read_snapshot
from app.query.prepared import ORDINARY_EXECUTION

T = TypeVar("T")


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _pool_gate(request: Request) -> PoolGate:
    gate: PoolGate = request.app.state.pool_gate  # built by create_app (app/main.py)
    return gate


def runs_inline(connection: Connection | Engine) -> bool:
    """SQLite work runs on the event loop; PostgreSQL work in a worker thread.

    SQLite is in-process CPU work that takes microseconds for an indexed page: a thread hop
    (and the GIL hand-over that comes with it) costs more than the query, and a worker
    thread would not make it any less CPU. PostgreSQL waits on the network.
    """
    return connection.dialect.name == "sqlite"


def _connect(engine: Engine, ordinary: bool) -> Connection:
    connection = engine.connect()
    if ordinary:  # Settings.stock_paths: SQLAlchemy's own execution for every statement
        connection.execution_options(**{ORDINARY_EXECUTION: True})
    return read_snapshot(connection, ordinary=ordinary)


async def get_connection(request: Request) -> AsyncIterator[Connection]:
    """A connection reading one snapshot, taken once a pool slot is free (app/api/pool_gate.py).

    The dependency the endpoints declare. FastAPI's own handler solves it: under Settings.stock_paths,
    or while app.dependency_overrides is set; app/api/routing.py provides it with `checkout` otherwise."""
    connection = await _open(request, ordinary=request.app.state.settings.stock_paths)
    try:
        yield connection
    finally:
        await _close(request, connection)


async def checkout(request: Request) -> Connection:
    """The same connection as `get_connection`, held until the response has been sent (a streamed
    body included) or the request has failed: closed by the request's exit stack, which FastAPI's
    `request_response` opens around sending the response."""
    connection = await _open(request, ordinary=False)
    request.scope["fastapi_inner_astack"].push_async_callback(_close, request, connection)
    return connection


async def _open(request: Request, ordinary: bool) -> Connection:
    engine = get_engine(request)
    gate = _pool_gate(request)
    await gate.acquire()
    try:
        if runs_inline(engine):
            return _connect(engine, ordinary)
        return await run_in_threadpool(_connect, engine, ordinary)
    except BaseException:
        gate.release()
        raise


async def _close(request: Request, connection: Connection) -> None:
    try:
        if runs_inline(connection):
            connection.close()
        else:
            with anyio.CancelScope(shield=True):  # a client hanging up must not leak the connection
                await run_in_threadpool(connection.close)
    finally:
        _pool_gate(request).release()


async def run_query(connection: Connection, work: Callable[[Connection], T]) -> T:
    """Run a route's database work: all of it in one call, inline or in one thread hop."""
    if runs_inline(connection):
        return work(connection)
    return await run_in_threadpool(work, connection)


DbConnection = Annotated[Connection, Depends(get_connection)]
DbEngine = Annotated[Engine, Depends(get_engine)]
