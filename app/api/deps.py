"""Dependencies declared once and reused by every route."""

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from app.api.pool_gate import PoolGate
from app.db.engine import read_snapshot


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


async def get_connection(request: Request) -> AsyncIterator[Connection]:
    """A connection reading one snapshot, taken once a pool slot is free (app/api/pool_gate.py)."""
    async with _pool_gate(request).slot():
        connection = await run_in_threadpool(lambda: read_snapshot(get_engine(request).connect()))
        try:
            yield connection
        finally:
            with anyio.CancelScope(shield=True):  # a client hanging up must not leak the connection
                await run_in_threadpool(connection.close)


DbConnection = Annotated[Connection, Depends(get_connection)]
DbEngine = Annotated[Engine, Depends(get_engine)]
