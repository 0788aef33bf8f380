"""CPU time per request of the app in the current directory, in-process (no server, no wrk):
the figure that stays comparable on a machine too loaded for throughput to be.

Run from a checkout, with its own Python, against a seeded SQLite file; bench/before_after.py
--cpu runs it for two checkouts, interleaved.

usage: cd CHECKOUT && .venv/bin/python /path/to/bench/cpu_per_request.py DATABASE_URL PATH [REQUESTS]
prints the CPU microseconds per request (the median of five batches).
"""

import os
import statistics
import sys
import time

import anyio
import httpx

sys.path.insert(0, os.getcwd())  # the checkout's own app package, not this script's

from app.main import create_app
from app.settings import Settings


async def measure(url: str, path: str, requests: int) -> float:
    app = create_app(Settings(database_url=url, log_level="warning"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(requests // 5):  # warm-up: statement caches, imports
            assert (await client.get(path)).status_code == 200
        batches = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(requests):
                await client.get(path)
            batches.append((time.process_time() - started) / requests * 1e6)
    return statistics.median(batches)


def main() -> None:
    url, path = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    print(f"{anyio.run(measure, url, path, requests):.1f}")


if __name__ == "__main__":
    main()
