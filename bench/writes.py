"""Read throughput under a steady write load: wrk on read endpoints of `coop serve`, alone and
while writers record figures through the API (POST observations with a curate key), interleaved
rounds, medians reported; and the writes' own rate and latency.

usage: .venv/bin/python bench/writes.py [--database-url URL] [--seconds 10] [--connections 32]
       [--writers 2] [--rounds 3]
Default database: a seeded SQLite file in bench/out/writes.db. For PostgreSQL pass the URL of an
empty database (bench/postgres.sh start prints the server's). Needs wrk.
"""

import argparse
import json
import os
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from harness import OUT, PYTHON, ROOT, Result, coop_serve, server, wrk

PORT = 8111
SERIES = "northbound-travel-participating-cars"
DOCUMENT = "bench-notice-fictional"
TEXT = "FICTIONAL BENCHMARK DOCUMENT: not a real announcement.\nOver 80 000 Hong Kong private cars took part."
READS = [
    ("detail page", "/initiatives/ehcv-gba-pilot-scheme"),
    ("filtered list page", "/initiatives?area=healthcare&limit=20"),
    ("history", "/initiatives/building-technology-research-institute/history"),
]


def _coop(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [PYTHON, "-m", "app", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepared(url: str | None) -> str:
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"writes.db{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{OUT / 'writes.db'}"
    _coop(url, "migrate")
    _coop(url, "seed")
    return url


def _request(method: str, path: str, key: str, body: dict[str, object]) -> tuple[int, float]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


@dataclass
class Writers:
    """Writers posting observations back to back until stopped."""

    key: str
    count: int
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _serial: int = 0

    def _write(self, n: int) -> None:
        while not self._stop.is_set():
            self._serial += 1
            body = {
                "slug": f"bench-{n}-{self._serial}-{time.monotonic_ns()}",
                "value": 80000,
                "qualifier": "over",
                "document": DOCUMENT,
                "quote": "Over 80 000 Hong Kong private cars took part",
            }
            status, ms = _request("POST", f"/metrics/series/{SERIES}/observations", self.key, body)
            self.latencies_ms.append(ms)
            self.failures += status != 201

    def __enter__(self) -> "Writers":
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(self.count)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = prepared(args.database_url)
    key = (
        _coop(url, "keys", "create", "--name", f"bench-{time.time_ns()}", "--scope", "curate").strip().splitlines()[-1]
    )
    runs: dict[tuple[str, str], list[Result]] = {}
    writes: list[tuple[float, float, float, int, int]] = []  # writes/s, p50, p99, failures, writes per loaded run
    with server(coop_serve(PORT), f"http://127.0.0.1:{PORT}/healthz", {"DATABASE_URL": url}):
        document = {
            "slug": DOCUMENT,
            "title": "Benchmark notice",
            "issuer": "Benchmark",
            "published_on": "2025-04-01",
            "text": TEXT,
        }
        assert _request("POST", "/documents", key, document)[0] in (201, 409)
        for _ in range(args.rounds):
            for name, path in READS:
                target = f"http://127.0.0.1:{PORT}{path}"
                runs.setdefault((name, "reads alone"), []).append(
                    wrk(target, seconds=args.seconds, connections=args.connections)
                )
                with Writers(key, args.writers) as writers:
                    started = time.monotonic()
                    result = wrk(target, seconds=args.seconds, connections=args.connections, warmup_s=0)
                    elapsed = time.monotonic() - started
                runs.setdefault((name, f"with {args.writers} writers"), []).append(result)
                latencies = sorted(writers.latencies_ms)
                writes.append(
                    (
                        len(latencies) / elapsed,
                        statistics.median(latencies),
                        latencies[int(0.99 * (len(latencies) - 1))],
                        writers.failures,
                        len(latencies),
                    )
                )
    engine = url.split(":", 1)[0].split("+")[0]
    print(f"\n{engine}, {args.connections} read connections, {args.seconds}s runs, median of {args.rounds} rounds\n")
    print("| read | load | req/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, load), results in runs.items():
        middle = sorted(results, key=lambda r: r.requests_per_s)[len(results) // 2]
        print(f"| {name} | {load} | {middle.row()} | {middle.errors} |")
    rates = sorted(writes)
    rate, p50, p99, _, _ = rates[len(rates) // 2]
    print(
        f"\nwrites during the loaded runs (median run): {rate:.1f}/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"{sum(w[3] for w in writes)} failed of {sum(w[4] for w in writes)} writes in all"
    )


if __name__ == "__main__":
    main()
