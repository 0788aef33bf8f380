"""Throughput and latency, side by side in one run on loopback: the project, Datasette over
the very same SQLite file (canned queries with the same SQL), and the bare-FastAPI ceiling.

usage: .venv/bin/python bench/throughput.py [--seconds 10] [--connections 32]
Needs wrk, and Datasette in bench/.venv (bench/setup.sh makes both).
"""

import argparse
import sqlite3
import subprocess
import threading
from datetime import date

from harness import BENCH_PYTHON, OUT, PYTHON, ROOT, Result, coop_serve, rss_mb, server, uvicorn, wrk

DB = OUT / "coop.db"
PROJECT, DATASETTE, CEILING = 8101, 8102, 8103
DETAIL_SLUG = "ehcv-gba-pilot-scheme"
# (name, project path, Datasette path): the same question asked of both.
PAIRS = [
    (
        "filtered list page",
        "/initiatives?area=healthcare&limit=20",
        "/coop/initiatives_by_area.json?area=healthcare&_shape=objects",
    ),
    (
        "detail page",
        f"/initiatives/{DETAIL_SLUG}",
        f"/coop/initiative_by_slug.json?slug={DETAIL_SLUG}&_shape=objects",
    ),
    ("metrics by unit", "/metrics?unit=persons", "/coop/metrics_by_unit.json?unit=persons&_shape=objects"),
    ("full-text search", "/search?q=hydrogen", "/coop/search.json?q=%22hydrogen%22&_shape=objects"),
]


def table_view_paths() -> dict[str, str]:
    """Datasette's own table and row views for the list and detail questions (no joins)."""
    with sqlite3.connect(DB) as connection:
        area = connection.execute("SELECT id FROM area WHERE slug = 'healthcare'").fetchone()[0]
        initiative = connection.execute("SELECT id FROM initiative WHERE slug = ?", (DETAIL_SLUG,)).fetchone()[0]
    return {
        "filtered list page": f"/coop/initiative.json?area_id__exact={area}&_size=20&_shape=objects",
        "detail page": f"/coop/initiative/{initiative}.json?_shape=objects",
    }


def seeded_database() -> None:
    for suffix in ("", "-wal", "-shm"):
        (OUT / f"coop.db{suffix}").unlink(missing_ok=True)
    env = {"DATABASE_URL": f"sqlite:///{DB}"}
    for command in ("migrate", "seed"):
        subprocess.run([PYTHON, "-m", "app", command], cwd=ROOT, env={**_env(), **env}, check=True, capture_output=True)
    with sqlite3.connect(DB) as connection:  # fold the WAL in: Datasette reads the file immutable
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def measured(url: str, seconds: int, connections: int, pid: int) -> tuple[Result, float]:
    """A wrk run, and the server's peak resident memory during it."""
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], rss_mb(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        return wrk(url, seconds=seconds, connections=connections), peak[0]
    finally:
        done.set()
        sampler.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    seeded_database()
    tables = table_view_paths()
    runs: dict[tuple[str, str], list[tuple[Result, float]]] = {}
    datasette = [
        BENCH_PYTHON, "-m", "datasette", "serve", "-i", str(DB), "-m", str(ROOT / "bench" / "datasette-metadata.json"),
        "-h", "127.0.0.1", "-p", str(DATASETTE),
    ]  # fmt: skip
    ceiling = [PYTHON, *uvicorn("ceiling:app", CEILING)[1:], "--app-dir", str(ROOT / "bench")]
    project_env = {"DATABASE_URL": f"sqlite:///{DB}"}
    # All three servers up at once (idle ones cost nothing) and their runs interleaved, so each
    # comparison is made under the same conditions on a machine other jobs may share.
    with (
        server(coop_serve(PROJECT), f"http://127.0.0.1:{PROJECT}/healthz", project_env) as ours,
        server(datasette, f"http://127.0.0.1:{DATASETTE}/-/versions.json") as theirs,
        server(ceiling, f"http://127.0.0.1:{CEILING}/ceiling") as bare,
    ):
        for _ in range(args.rounds):
            for name, path, their_path in PAIRS:
                targets = [("project", PROJECT, ours.pid, path), ("datasette", DATASETTE, theirs.pid, their_path)]
                if name in tables:
                    targets.append(("datasette table view", DATASETTE, theirs.pid, tables[name]))
                for who, port, pid, query in targets:
                    url = f"http://127.0.0.1:{port}{query}"
                    runs.setdefault((name, who), []).append(measured(url, args.seconds, args.connections, pid))
            for path in ("/ceiling", "/ceiling-idiomatic"):
                url = f"http://127.0.0.1:{CEILING}{path}"
                runs.setdefault((path, "ceiling"), []).append(measured(url, args.seconds, args.connections, bare.pid))
    results = {key: _median(values) for key, values in runs.items()}
    report(results, args)


def _median(values: list[tuple[Result, float]]) -> tuple[Result, float]:
    ordered = sorted(values, key=lambda value: value[0].requests_per_s)
    return ordered[len(ordered) // 2][0], max(rss for _, rss in values)


def report(results: dict[tuple[str, str], tuple[Result, float]], args: argparse.Namespace) -> None:
    lean, idiomatic = results[("/ceiling", "ceiling")][0], results[("/ceiling-idiomatic", "ceiling")][0]
    lines = [
        f"Measured {date.today()}: wrk -t2 -c{args.connections} -d{args.seconds}s per run, one uvicorn worker each, "
        f"median of {args.rounds} interleaved rounds (load average at the end: {_loadavg()}).",
        "",
        "| query | server | req/s | p50 ms | p99 ms | p99/p50 | peak RSS MiB | non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (name, who), (result, rss) in results.items():
        ratio = result.p99_ms / result.p50_ms if result.p50_ms else 0
        lines.append(f"| {name} | {who} | {result.row()} | {ratio:.1f} | {rss:.0f} | {result.errors} |")
    lines += [
        "",
        "| query | project / Datasette (same SQL) | project / Datasette table view "
        "| project / lean ceiling | project / idiomatic ceiling |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, _, _ in PAIRS:
        ours, theirs = results[(name, "project")][0], results[(name, "datasette")][0]
        rate = ours.requests_per_s
        table = results.get((name, "datasette table view"))
        versus_table = f"{rate / table[0].requests_per_s:.2f}x" if table else "-"
        lines.append(
            f"| {name} | {rate / theirs.requests_per_s:.2f}x | {versus_table} "
            f"| {rate / lean.requests_per_s:.0%} | {rate / idiomatic.requests_per_s:.0%} |"
        )
    text = "\n".join(lines)
    print(text)
    (OUT / "throughput.md").write_text(text + "\n")


def _loadavg() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


if __name__ == "__main__":
    main()
