"""Shared bench plumbing: start a server on loopback, wait for it, drive it with wrk, parse wrk."""

import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BENCH_PYTHON = str(ROOT / "bench" / ".venv" / "bin" / "python")


@dataclass(frozen=True)
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int

    def row(self) -> str:
        return f"{self.requests_per_s:,.0f} | {self.p50_ms:.2f} | {self.p99_ms:.2f}"


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, seconds: int = 10, connections: int = 32, threads: int = 2, warmup_s: int = 2) -> Result:
    """One bounded wrk run (after a short warm-up run that is thrown away)."""
    if warmup_s:
        subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{warmup_s}s", url], capture_output=True)
    out = subprocess.run(
        ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return Result(rate, p50, p99, errors)


def wait_until_up(url: str, timeout_s: float = 60) -> float:
    """Seconds until `url` answers 200."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(url)


@contextmanager
def server(command: Sequence[str], probe: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until the block ends; `probe` is polled until it answers 200."""
    process = subprocess.Popen(
        list(command),
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(probe)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # this server's own process group only
        process.wait(timeout=30)


def uvicorn(app: str, port: int) -> list[str]:
    return [PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]


def coop_serve(port: int) -> list[str]:
    """The project as its users run it: `coop serve` (uvicorn with the deadline protocol, JSON logs)."""
    return [PYTHON, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    pids = [str(pid), *subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    out = subprocess.run(["ps", "-o", "rss=", "-p", ",".join(pids)], capture_output=True, text=True).stdout
    return sum(int(v) for v in out.split()) / 1024
