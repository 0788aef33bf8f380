"""Cost as data grows: single-client p50/p99 of the paged, faceted, aggregated and full-text
queries at each scale, on SQLite and PostgreSQL, with the query plan of every statement.

usage: .venv/bin/python bench/scale.py --engine sqlite|postgresql --scales 1000 10000 100000 1000000
       [--queries "timeline, first page" ...]   (default: every query) [--port 8111]
Reads the databases bench/make_data.sh made (PostgreSQL: BENCH_PG_URL, default port 55432).
Plans go to bench/out/plans-ENGINE-SCALE.txt.
"""

import argparse
import json
import os
import urllib.parse
import urllib.request
from datetime import date
from typing import Any

import anyio
import httpx
from harness import OUT, Result, coop_serve, server, wrk
from sqlalchemy import Engine, event

from app.db.engine import make_engine
from app.main import create_app
from app.settings import Settings

PORT = 8111
PG = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:55432")
DEPTH = 10_000
QUERIES = {
    "filtered first page": "/initiatives?area=healthcare&limit=20",
    "page 10,000 deep": None,  # made by walking the cursor
    "facets for one area": "/initiatives?area=healthcare&facets=status,kind&limit=20",
    "metrics summary, one area": "/metrics/summary?area=healthcare&group_by=unit",
    "full-text, one common word": "/search?q=hydrogen",
    "full-text, two words": "/search?q=hydrogen+port",
    "initiatives matching a word": "/initiatives?q=hydrogen&limit=20",
    "timeline, first page": "/timeline",
    "timeline, filtered first page": "/timeline?kind=target&date_from=2024-07-01&date_to=2024-12-31",
    # The register over time (issue 12): as of a date, an initiative's history, the changes.
    "as_of, first page": "/initiatives?as_of=2025-06-30&limit=20",
    "as_of, status filter": "/initiatives?as_of=2025-06-30&status=completed&limit=20",
    "as_of, due_state filter": "/initiatives?as_of=2025-06-30&due_state=overdue&limit=20",
    "as_of, milestone outcome filter": "/milestones?as_of=2025-06-30&outcome=missed&limit=20",
    "as_of, agreements with milestones": "/agreements?as_of=2025-06-30&include=milestones&limit=20",
    "as_of, facets for one area": "/initiatives?area=healthcare&facets=status,kind&as_of=2025-06-30&limit=20",
    "history, first page": None,  # an initiative in the middle of the table
    "changes, first page": "/changes",
    "changes, status changes": "/changes?kind=status_changed",
    "changes, one document's": "/documents/synthetic-follow-up-2025/changes",
    "metrics summary, whole table": "/metrics/summary?group_by=unit",
}


def url_for(engine: str, scale: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{OUT / 'data' / f'coop-{scale}.db'}"
    return f"{PG}/coop_{scale}"


def deep_path(base: str) -> tuple[str, int]:
    """The path of the page after the first DEPTH records (or as deep as the data goes)."""
    path, depth, cursor = "/initiatives?limit=500", 0, None
    while depth < DEPTH:
        query = path + (f"&cursor={cursor}" if cursor else "")
        with urllib.request.urlopen(base + query) as response:
            page = json.load(response)
        if not page["next_cursor"]:
            break
        depth, cursor = depth + len(page["items"]), page["next_cursor"]
    return f"/initiatives?limit=20&cursor={urllib.parse.quote(cursor or '')}", depth


def plans(database_url: str, paths: dict[str, str]) -> str:
    """EXPLAIN (QUERY PLAN) of every statement each request runs, via the app in-process."""
    engine = make_engine(Settings(database_url=database_url), database_url)
    statements: list[tuple[str, Any]] = []
    event.listen(
        engine, "before_cursor_execute", lambda c, cur, sql, params, ctx, many: statements.append((sql, params))
    )
    app = create_app(Settings(database_url=database_url, log_level="warning"), engine)
    report: list[str] = []

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, path in paths.items():
                statements.clear()
                await client.get(path)
                captured = list(statements)
                report.append(f"## {name}: {path[:100]}")
                for sql, params in captured:
                    report.append(sql.strip().replace("\n", " "))
                    report.append(_explain(engine, sql, params))

    anyio.run(run)
    engine.dispose()
    return "\n".join(report)


def _ranked(url: str) -> str:
    """For /search: how many matches were ranked, and whether that was all of them."""
    if "/search?" not in url:
        return ""
    with urllib.request.urlopen(url) as response:
        body = json.load(response)
    return f"{body['ranked_matches']:,}" + ("" if body["ranking_complete"] else " (window)")


def _explain(engine: Engine, sql: str, params: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
        cursor.close()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"    {row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--scales", type=int, nargs="+", required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--port", type=int, default=PORT, help="for the server (another run may hold 8111)")
    parser.add_argument("--queries", nargs="+", choices=QUERIES, default=list(QUERIES), help="(default: all)")
    args = parser.parse_args()
    lines = [
        f"Measured {date.today()} on {args.engine}: one client (wrk -t1 -c1 -d{args.seconds}s), one worker.",
        "",
        "| query | scale | depth | matches ranked | p50 ms | p99 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scale in args.scales:
        database_url = url_for(args.engine, scale)
        base = f"http://127.0.0.1:{args.port}"
        with server(coop_serve(args.port), f"{base}/healthz", {"DATABASE_URL": database_url}):
            paths = {name: QUERIES[name] for name in args.queries}
            depth = 0
            if "page 10,000 deep" in paths:
                paths["page 10,000 deep"], depth = deep_path(base)
            if "history, first page" in paths:
                paths["history, first page"] = f"/initiatives/{scale // 2}/history"
            for name, path in paths.items():
                result: Result = wrk(base + str(path), seconds=args.seconds, connections=1, threads=1, warmup_s=1)
                shown = str(depth) if name.startswith("page") else ""
                ranked = _ranked(base + str(path))
                lines.append(
                    f"| {name} | {scale:,} | {shown} | {ranked} | {result.p50_ms:.2f} | {result.p99_ms:.2f} "
                    f"| {result.requests_per_s:,.0f} |"
                )
                print(lines[-1], flush=True)
        (OUT / f"plans-{args.engine}-{scale}.txt").write_text(
            plans(database_url, {k: str(v) for k, v in paths.items()})
        )
    (OUT / f"scale-{args.engine}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
