"""SQL statements per request of the app in the current directory: a count the machine's load
cannot move. Each path is asked twice in one process (the second time with what the app keeps
between requests, such as app/query/change_presence.py's answers); the statements each sends are
counted by a listener on the app's engine (which sends every statement through SQLAlchemy).

usage: cd CHECKOUT && .venv/bin/python /path/to/bench/statements_per_request.py DATABASE_URL PATH...
prints, per path: statements on the first request, on the second.
"""

import os
import sys
from typing import Any

import anyio
import httpx
from sqlalchemy import event

sys.path.insert(0, os.getcwd())  # the checkout's own app package, not this script's

from app.db.engine import make_engine
from app.main import create_app
from app.settings import Settings


async def count(url: str, paths: list[str]) -> list[tuple[str, int, int]]:
    settings = Settings(database_url=url, log_level="warning")
    engine = make_engine(settings, url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    app = create_app(settings, engine)
    counts = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for path in paths:
            runs: list[Any] = []
            for _ in range(2):
                statements.clear()
                response = await client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                runs.append(len(statements))
            counts.append((path, runs[0], runs[1]))
    engine.dispose()
    return counts


def main() -> None:
    for path, first, second in anyio.run(count, sys.argv[1], sys.argv[2:]):
        print(f"{first}\t{second}\t{path}")


if __name__ == "__main__":
    main()
