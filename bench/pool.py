"""The pool under pressure, timed (tests/test_db_pool.py asserts the behaviour, not the time):
an export through a one-connection pool, how long a request waits for a held pool before
its 503, and 80 simultaneous requests sharing one connection. In process, through the ASGI app.

usage: .venv/bin/python bench/pool.py [--database-url URL] [--runs 5]
(default: a new SQLite file in bench/out, migrated and seeded; a URL must be migrated and seeded)
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date

import httpx
from harness import OUT, ROOT

from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.main import create_app
from app.settings import Settings

BURST = 80


def seeded_sqlite() -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (OUT / f"pool.db{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{OUT / 'pool.db'}"
    engine = make_engine(Settings(database_url=url), url)
    upgrade(engine)
    load_all(engine, ROOT / "seed")
    engine.dispose()
    return url


async def timed(settings: Settings, work: Callable[[httpx.AsyncClient], Awaitable[None]]) -> float:
    """Seconds `work` takes against a new app over a new engine with these settings."""
    engine = make_engine(settings)
    transport = httpx.ASGITransport(app=create_app(settings, engine), raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            started = time.monotonic()
            await work(client)
            return time.monotonic() - started
    finally:
        engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or seeded_sqlite()
    one = Settings(database_url=url, db_pool_size=1, db_max_overflow=0, db_pool_timeout_s=1)

    async def export(client: httpx.AsyncClient) -> None:
        for path in ("/metrics?format=csv", "/milestones?format=ndjson"):
            assert (await client.get(path)).status_code == 200

    async def burst(client: httpx.AsyncClient) -> None:
        responses = await asyncio.gather(*(client.get("/initiatives/loop-co-operation-zone") for _ in range(BURST)))
        assert all(response.status_code == 200 for response in responses)

    async def held_run() -> float:
        engine = make_engine(one)
        transport = httpx.ASGITransport(app=create_app(one, engine), raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                with engine.connect():  # the only connection, taken
                    started = time.monotonic()
                    assert (await client.get("/initiatives")).status_code == 503
                    return time.monotonic() - started
        finally:
            engine.dispose()

    generous = one.model_copy(update={"db_pool_timeout_s": 20})
    results = {
        "export (CSV + NDJSON), 1-connection pool": [await timed(one, export) for _ in range(args.runs)],
        f"wait for a held pool (db_pool_timeout_s={one.db_pool_timeout_s})": [
            await held_run() for _ in range(args.runs)
        ],
        f"{BURST} simultaneous requests, 1 connection": [await timed(generous, burst) for _ in range(args.runs)],
    }
    engine_name = url.split(":", 1)[0].split("+", 1)[0]
    print(f"Measured {date.today()} on {engine_name}, {args.runs} runs (median, max):")
    for name, seconds in results.items():
        print(f"  {name}: {statistics.median(seconds):.3f} s, {max(seconds):.3f} s")


if __name__ == "__main__":
    asyncio.run(main())
