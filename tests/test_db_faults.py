"""PostgreSQL stopped under load: requests fail fast with a 503 problem and Retry-After,
/readyz turns 503 while /healthz stays 200, and the API recovers by itself when the server
is back. Runs on its own cluster so that stopping it touches no other test."""

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from anyio.from_thread import BlockingPortal

from app.db.engine import make_engine
from app.main import create_app
from app.settings import Settings
from tests.conftest import SEED_DIR, Api
from tests.helpers import create_postgres_database, migrated_seeded
from tests.postgres import PostgresCluster, find_postgres_binaries

pytestmark = pytest.mark.slow  # its own PostgreSQL server, stopped and started under load

PASSWORD = "fault-test-Pa55word"
CONNECT_TIMEOUT_S = 2
POOL_TIMEOUT_S = 2
# The longest any request may take, whatever the database does: the timeouts plus slack.
FAIL_FAST_S = CONNECT_TIMEOUT_S + POOL_TIMEOUT_S + 2
PATHS = (
    "/initiatives?limit=20&include=metrics",
    "/initiatives/loop-co-operation-zone",
    "/search?q=hydrogen",
    "/metrics?format=csv",
    "/timeline",
)
CLIENTS = 8


@dataclass(frozen=True)
class Outcome:
    phase: str
    path: str
    status: int
    seconds: float
    retry_after: str | None
    content_type: str


@pytest.fixture(scope="module")
def own_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    binaries = find_postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql")
    cluster = PostgresCluster(binaries, tmp_path_factory.mktemp("pg-faults"))
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


class Load:
    """CLIENTS threads sending requests in a loop, each outcome tagged with the phase it ran in."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.phase = "healthy"
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]

    def _client(self, n: int) -> None:
        turn = n
        while not self._stop.is_set():
            path, phase = PATHS[turn % len(PATHS)], self.phase
            turn += 1
            started = time.monotonic()
            response = self.api.get(path)
            # A request that spans a change of phase (began before the stop, ended after) is a transition.
            self.outcomes.append(
                Outcome(
                    phase if phase == self.phase else "transition",
                    path,
                    response.status_code,
                    time.monotonic() - started,
                    response.headers.get("retry-after"),
                    response.headers.get("content-type", ""),
                )
            )
            time.sleep(0.01)

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=FAIL_FAST_S * 3)

    def of(self, phase: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.phase == phase]


def _wait_until_ready(api: Api, deadline_s: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        if api.get("/readyz").status_code == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"/readyz still not 200 {deadline_s}s after the database came back")


def test_the_api_fails_fast_while_postgresql_is_down_and_recovers_by_itself(
    portal: BlockingPortal, own_cluster: PostgresCluster, caplog: pytest.LogCaptureFixture
) -> None:
    url = create_postgres_database(own_cluster).replace("postgres@", f"postgres:{PASSWORD}@")
    migrated_seeded(url, SEED_DIR).dispose()
    settings = Settings(database_url=url, db_connect_timeout_s=CONNECT_TIMEOUT_S, db_pool_timeout_s=POOL_TIMEOUT_S)
    api = Api(portal, create_app(settings, make_engine(settings)), raise_app_exceptions=False)

    with caplog.at_level(logging.INFO), Load(api) as load:
        time.sleep(1.5)
        load.phase = "stopping"
        own_cluster.pause()
        load.phase = "down"
        time.sleep(3)
        ready_while_down = api.get("/readyz")
        health_while_down = api.get("/healthz")
        load.phase = "starting"
        own_cluster.resume()
        recovery_s = _wait_until_ready(api, deadline_s=20)
        load.phase = "recovered"
        time.sleep(1.5)

    healthy, down, recovered = load.of("healthy"), load.of("down"), load.of("recovered")
    assert healthy and down and recovered, "each phase must see requests"
    assert {o.status for o in healthy} == {200}
    assert {o.status for o in recovered} == {200}, "the API must recover without a restart"
    assert {o.status for o in down} == {503}
    assert all(o.retry_after and o.content_type == "application/problem+json" for o in down)
    # While stopping or starting (or across either), a request may succeed or fail fast, nothing else.
    assert {o.status for o in load.outcomes} <= {200, 503}
    slowest = max(o.seconds for o in load.outcomes)
    assert slowest < FAIL_FAST_S, f"a request took {slowest:.1f}s"
    assert ready_while_down.status_code == 503
    assert ready_while_down.headers["retry-after"]
    assert health_while_down.status_code == 200
    assert recovery_s < 20
    assert PASSWORD not in caplog.text
    print(  # figures for docs/RELIABILITY.md: pytest -s tests/test_db_faults.py
        f"requests={len(load.outcomes)} healthy={len(healthy)} down={len(down)} recovered={len(recovered)} "
        f"slowest={slowest:.3f}s recovery={recovery_s:.2f}s"
    )
