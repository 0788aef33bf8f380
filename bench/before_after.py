"""Throughput of two checkouts of the project, interleaved in one run: for changes whose cost
is a few percent, on a machine too noisy for two separate runs to compare.

Each checkout is migrated and seeded from its own seed/ into its own SQLite file and served
by its own `coop serve` (one worker, LOG_LEVEL=warning); each round runs every page against
the old server, then the new; the median of the per-round new/old ratios is the figure.

usage: .venv/bin/python bench/before_after.py --old /work/main [--new .] [--rounds 9] [--seconds 5]
"""

import argparse
import os
import signal
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import OUT, wait_until_up, wrk

PAGES = {
    "filtered list": "/initiatives?area=healthcare&limit=20",
    "detail": "/initiatives/ehcv-gba-pilot-scheme",
}


def _seeded(checkout: Path, name: str) -> dict[str, str]:
    """The environment serving `checkout` from its own freshly seeded database."""
    database = OUT / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "LOG_LEVEL": "warning", "WORKERS": "1"}
    for command in ("migrate", "seed"):
        python = str(checkout / ".venv" / "bin" / "python")
        subprocess.run([python, "-m", "app", command], cwd=checkout, env=env, check=True, capture_output=True)
    return env


@contextmanager
def _serving(checkout: Path, port: int, env: dict[str, str]) -> Iterator[None]:
    """`coop serve` of `checkout`, run from it (its own app package, not this one's)."""
    python = str(checkout / ".venv" / "bin" / "python")
    command = [python, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # this server's own process group only
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--new", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    old_env, new_env = _seeded(args.old.resolve(), "before"), _seeded(args.new.resolve(), "after")
    ratios: dict[str, list[float]] = {page: [] for page in PAGES}
    rates: dict[tuple[str, str], list[float]] = {}
    with _serving(args.old.resolve(), 8111, old_env), _serving(args.new.resolve(), 8112, new_env):
        for round_number in range(1, args.rounds + 1):
            for page, path in PAGES.items():
                old = wrk(f"http://127.0.0.1:8111{path}", seconds=args.seconds, threads=1, warmup_s=1)
                new = wrk(f"http://127.0.0.1:8112{path}", seconds=args.seconds, threads=1, warmup_s=1)
                assert old.errors == new.errors == 0, (page, old, new)
                ratios[page].append(new.requests_per_s / old.requests_per_s)
                rates.setdefault((page, "old"), []).append(old.requests_per_s)
                rates.setdefault((page, "new"), []).append(new.requests_per_s)
                print(
                    f"round {round_number} {page}: old {old.requests_per_s:,.0f} new {new.requests_per_s:,.0f} req/s",
                    flush=True,
                )
    print("\n| page | old req/s (median) | new req/s (median) | new / old, median of rounds | range |")
    print("|---|---:|---:|---:|---|")
    for page, path in PAGES.items():
        found = ratios[page]
        print(
            f"| {page} (`{path}`) | {statistics.median(rates[(page, 'old')]):,.0f} "
            f"| {statistics.median(rates[(page, 'new')]):,.0f} | {statistics.median(found):.3f} "
            f"| {min(found):.2f}-{max(found):.2f} |"
        )


if __name__ == "__main__":
    main()
