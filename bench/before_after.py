"""Throughput of two checkouts of the project, interleaved in one run: for changes whose cost
is a few percent, on a machine too noisy for two separate runs to compare.

Each checkout is migrated and seeded from its own seed/ into its own SQLite file and served
by its own `coop serve` (one worker, LOG_LEVEL=warning); each round runs every page against
the old server, then the new; the median of the per-round new/old ratios is the figure.

With --cpu, each round instead measures the CPU time per request of each checkout's app
in-process (bench/cpu_per_request.py): steadier than throughput on a loaded machine; the figure
is then old CPU / new CPU, the throughput ratio the CPU alone would give.

usage: .venv/bin/python bench/before_after.py --old /work/main [--new .] [--rounds 9] [--seconds 5] [--cpu]
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
    parser.add_argument("--cpu", action="store_true", help="CPU per request in-process instead of throughput")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    old_env, new_env = _seeded(args.old.resolve(), "before"), _seeded(args.new.resolve(), "after")
    if args.cpu:
        _cpu(args.old.resolve(), old_env, args.new.resolve(), new_env, args.rounds)
        return
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


def _cpu_us(checkout: Path, env: dict[str, str], path: str) -> float:
    python = str(checkout / ".venv" / "bin" / "python")
    script = str(Path(__file__).resolve().parent / "cpu_per_request.py")
    out = subprocess.run(
        [python, script, env["DATABASE_URL"], path], cwd=checkout, env=env, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def _cpu(old: Path, old_env: dict[str, str], new: Path, new_env: dict[str, str], rounds: int) -> None:
    found: dict[tuple[str, str], list[float]] = {}
    for round_number in range(1, rounds + 1):
        for page, path in PAGES.items():
            before, after = _cpu_us(old, old_env, path), _cpu_us(new, new_env, path)
            found.setdefault((page, "old"), []).append(before)
            found.setdefault((page, "new"), []).append(after)
            found.setdefault((page, "ratio"), []).append(before / after)
            print(f"round {round_number} {page}: old {before:.0f} us new {after:.0f} us CPU/request", flush=True)
    print("\n| page | old CPU us/request (median) | new | old / new, median of rounds | range |")
    print("|---|---:|---:|---:|---|")
    for page, path in PAGES.items():
        ratios = found[(page, "ratio")]
        print(
            f"| {page} (`{path}`) | {statistics.median(found[(page, 'old')]):.0f} "
            f"| {statistics.median(found[(page, 'new')]):.0f} | {statistics.median(ratios):.3f} "
            f"| {min(ratios):.2f}-{max(ratios):.2f} |"
        )


if __name__ == "__main__":
    main()
