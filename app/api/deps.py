"""Dependencies declared once and reused by every route, and the one way routes reach the database."""

import asyncio
import contextvars
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

T = TypeVar("T")


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_connection(request: Request) -> Iterator[Connection]:
    with get_engine(request).connect() as connection:
        yield connection


DbConnection = Annotated[Connection, Depends(get_connection)]
DbEngine = Annotated[Engine, Depends(get_engine)]


def _with_connection(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.connect() as connection:
        return work(connection)


# One executor per engine, as many threads as the pool has connections: a request waits in
# the executor's queue, not on a thread blocked on the pool (threads contending for the GIL).
_executors: "weakref.WeakKeyDictionary[Engine, ThreadPoolExecutor]" = weakref.WeakKeyDictionary()


def _executor(engine: Engine) -> ThreadPoolExecutor:
    executor = _executors.get(engine)
    if executor is None:
        pool = engine.pool
        size = pool.size() + getattr(pool, "_max_overflow", 0)  # type: ignore[attr-defined]
        executor = _executors.setdefault(engine, ThreadPoolExecutor(max(1, size), thread_name_prefix="db"))
    return executor


async def in_database(request: Request, work: Callable[[Connection], T]) -> T:
    """Run `work` on a pooled connection: inline on SQLite, in one hop to a thread otherwise.

    A sync route with a generator dependency costs three hops per request (open, run,
    close); the hot routes are async and put all their database work in one. SQLite is
    in-process CPU work that takes microseconds for an indexed page: a hop (and the GIL
    hand-over that comes with it) costs more than the query, so it runs on the event
    loop. PostgreSQL waits on the network, so it goes to a thread of the engine's executor.
    """
    engine = get_engine(request)
    if engine.dialect.name == "sqlite":
        return _with_connection(engine, work)
    context = contextvars.copy_context()  # request-scoped context (e.g. a request id) goes along
    call = lambda: context.run(_with_connection, engine, work)  # noqa: E731
    return await asyncio.get_running_loop().run_in_executor(_executor(engine), call)
