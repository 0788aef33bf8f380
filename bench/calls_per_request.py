"""Python function calls per request of the app in the current directory, under cProfile: a
count the machine's load cannot move, for comparing two checkouts when throughput is noise.

usage: cd CHECKOUT && .venv/bin/python /path/to/bench/calls_per_request.py DATABASE_URL PATH
prints the calls per request (the app and the in-process httpx client, 200 requests after 50).
"""

import cProfile
import os
import pstats
import sys

import anyio
import httpx

sys.path.insert(0, os.getcwd())  # the checkout's own app package, not this script's

from app.main import create_app
from app.settings import Settings

WARM_UP, MEASURED = 50, 200


async def calls_per_request(url: str, path: str) -> float:
    app = create_app(Settings(database_url=url, log_level="warning"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for _ in range(WARM_UP):
            assert (await client.get(path)).status_code == 200
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(MEASURED):
            await client.get(path)
        profile.disable()
    return float(pstats.Stats(profile).total_calls) / MEASURED  # type: ignore[attr-defined]


def main() -> None:
    print(f"{anyio.run(calls_per_request, sys.argv[1], sys.argv[2]):.0f}")


if __name__ == "__main__":
    main()
