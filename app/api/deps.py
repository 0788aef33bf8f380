"""Dependencies declared once and reused by every route, and the one way routes reach the database."""

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

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


async def in_database(request: Request, work: Callable[[Connection], T]) -> T:
    """Run `work` on a pooled connection: inline on SQLite, in one thread-pool hop otherwise.

    A sync route with a generator dependency costs three hops per request (open, run,
    close); the hot routes are async and put all their database work in one. SQLite is
    in-process CPU work that takes microseconds for an indexed page: a hop (and the GIL
    hand-over that comes with it) costs more than the query, so it runs on the event
    loop. PostgreSQL waits on the network, so it goes to the thread pool.
    """
    engine = get_engine(request)
    if engine.dialect.name == "sqlite":
        return _with_connection(engine, work)
    return await run_in_threadpool(_with_connection, engine, work)
