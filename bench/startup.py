"""Start-up: seconds from an empty database to serving (migrate + seed + server up + first 200
from a list page), and the seed load time, on SQLite (a new file) or PostgreSQL (a new database).

usage: .venv/bin/python bench/startup.py [--engine sqlite|postgresql] [--runs 3]
"""

import argparse
import statistics
import subprocess
import time
from datetime import date

from harness import OUT, PYTHON, ROOT, coop_serve, server

PORT = 8121
PG = "postgresql+psycopg://postgres@127.0.0.1:55432"


def fresh_database(engine: str) -> str:
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"startup.db{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{OUT / 'startup.db'}"
    admin = ["psql", "-h", "127.0.0.1", "-p", "55432", "-U", "postgres", "-q", "-d", "postgres"]
    subprocess.run([*admin, "-c", "DROP DATABASE IF EXISTS coop_startup"], check=True)
    subprocess.run([*admin, "-c", "CREATE DATABASE coop_startup"], check=True)
    return f"{PG}/coop_startup"


def one_run(engine: str) -> tuple[float, float, float]:
    """(migrate s, seed s, empty-to-first-200 s)."""
    env = {"DATABASE_URL": fresh_database(engine)}
    started = time.monotonic()
    timings = []
    for command in ("migrate", "seed"):
        begun = time.monotonic()
        subprocess.run([PYTHON, "-m", "app", command], cwd=ROOT, env=_env(env), check=True, capture_output=True)
        timings.append(time.monotonic() - begun)
    probe = f"http://127.0.0.1:{PORT}/initiatives?area=healthcare&limit=20"
    with server(coop_serve(PORT), probe, env):
        total = time.monotonic() - started
    return timings[0], timings[1], total


def _env(extra: dict[str, str]) -> dict[str, str]:
    import os

    return {**os.environ, **extra}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    runs = [one_run(args.engine) for _ in range(args.runs)]
    migrate, seed, total = (statistics.median(values) for values in zip(*runs, strict=True))
    text = (
        f"Measured {date.today()} on {args.engine}, median of {args.runs} runs: migrate {migrate:.2f} s, "
        f"seed {seed:.2f} s, empty database to the first 200 of /initiatives {total:.2f} s."
    )
    print(text)
    with (OUT / "startup.md").open("a") as report:
        report.write(text + "\n")


if __name__ == "__main__":
    main()
