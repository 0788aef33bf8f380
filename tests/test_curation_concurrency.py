"""Concurrent curators, on both engines: two patches from the same read, one wins and the other is
a 412; many writers at once lose nothing, never fail (no 500, no "database is locked"), and the audit
holds exactly one row per successful write; PostgreSQL stopped mid-write leaves nothing half-written.

The writers are threads calling the ASGI app in-process: each write runs in the app's worker threads
against the real database, so they contend for its lock as separate requests do."""

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import orjson
import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import func, select, text

from app.db.engine import make_engine
from app.models import AuditEntry, Metric
from app.settings import Settings
from tests.conftest import Curation, make_curation
from tests.helpers import SEED_DIR, create_postgres_database, migrated_seeded
from tests.postgres import PostgresCluster, find_postgres_binaries
from tests.test_curation_api import CARS, notice, post

pytestmark = pytest.mark.slow  # hundreds of writes, and a PostgreSQL server stopped under them

# The issue asks for 20 writers x 200 writes; 20 x 25 keeps this test near half a minute per engine
# on a shared 2-core machine. COOP_TEST_WRITES=200 runs the full count.
WRITERS, WRITES = 20, int(os.environ.get("COOP_TEST_WRITES", "25"))
MERGE = "application/merge-patch+json"


def _observation(document: str, slug: str, value: int) -> dict[str, object]:
    return {
        "slug": slug,
        "value": value,
        "qualifier": "over",
        "as_of": "2025-02",
        "document": document,
        "quote": "over 80 000 Hong Kong private cars",
    }


def _audit_rows(curation: Curation) -> int:
    with curation.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _new_record(curation: Curation, slug: str) -> str:
    body = {
        "slug": slug,
        "area": "innovation-and-technology",
        "title": "A laboratory",
        "summary": "Tokens:",
        "kind": "facility",
        "status": "planned",
        "status_quote": "to start work in 2025",
        "quote": "set up a testing laboratory",
        "document": notice(curation),
    }
    response = post(curation, "/initiatives", body)
    assert response.status_code == 201, response.text
    return str(response.headers["location"])


def test_two_patches_from_the_same_read_one_wins_one_is_412(curation: Curation, portal: BlockingPortal) -> None:
    url = _new_record(curation, "contested-laboratory")
    etag = curation.api.get(url).headers["etag"]
    headers = {**curation.auth("curate"), "Content-Type": MERGE, "If-Match": etag}

    async def both() -> list[httpx.Response]:
        results: list[httpx.Response] = []

        async def one(summary: str) -> None:
            body = orjson.dumps({"summary": summary})
            results.append(await curation.api.client.request("PATCH", url, content=body, headers=headers))

        async with anyio.create_task_group() as group:
            group.start_soon(one, "First curator's words.")
            group.start_soon(one, "Second curator's words.")
        return results

    before = _audit_rows(curation)
    statuses = sorted(response.status_code for response in portal.call(both))
    assert statuses == [200, 412]
    assert _audit_rows(curation) == before + 1
    assert curation.api.get(url).json()["summary"] in ("First curator's words.", "Second curator's words.")


def test_many_writers_lose_nothing_and_never_fail(curation: Curation) -> None:
    document = notice(curation)
    audit_before = _audit_rows(curation)
    series_before = len(curation.api.get(f"/metrics/series/{CARS}").json()["observations"])

    def writer(n: int) -> list[httpx.Response]:
        return [
            post(
                curation, f"/metrics/series/{CARS}/observations", _observation(document, f"load-{n}-{i}", 1000 * n + i)
            )
            for i in range(WRITES)
        ]

    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = [response for batch in pool.map(writer, range(WRITERS)) for response in batch]
    seconds = time.monotonic() - started
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: WRITERS * WRITES}, [r.text for r in responses if r.status_code != 201][:3]
    assert not any("locked" in response.text for response in responses)
    observations = curation.api.get(f"/metrics/series/{CARS}").json()["observations"]
    assert len(observations) == series_before + WRITERS * WRITES
    assert _audit_rows(curation) == audit_before + WRITERS * WRITES
    print(f"{curation.engine.dialect.name}: {WRITERS * WRITES} writes by {WRITERS} writers in {seconds:.1f}s")


def test_read_modify_write_with_if_match_loses_no_update(curation: Curation) -> None:
    """Each writer appends its tokens to one record's summary, re-reading on every 412."""
    url = _new_record(curation, "shared-laboratory")
    writers, rounds = 8, 3
    refused = Counter[int]()

    def writer(n: int) -> None:
        for i in range(rounds):
            for _ in range(200):
                current = curation.api.get(url)
                summary = current.json()["summary"] + f" w{n}.{i}"
                headers = {**curation.auth("curate"), "Content-Type": MERGE, "If-Match": current.headers["etag"]}
                response = curation.api.request("PATCH", url, json={"summary": summary}, headers=headers)
                if response.status_code == 200:
                    break
                assert response.status_code == 412, response.text
                refused[n] += 1
            else:
                raise AssertionError(f"writer {n} never got its patch in")

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(writer, range(writers)))
    tokens = curation.api.get(url).json()["summary"].split()[1:]
    assert sorted(tokens) == sorted(f"w{n}.{i}" for n in range(writers) for i in range(rounds))
    assert sum(refused.values()) > 0  # they did collide


@pytest.fixture(scope="module")
def own_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    binaries = find_postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql")
    cluster = PostgresCluster(binaries, tmp_path_factory.mktemp("pg-write-faults"))
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def test_postgresql_stopped_during_writes_is_a_503_and_nothing_half_written(
    portal: BlockingPortal, own_cluster: PostgresCluster
) -> None:
    url = create_postgres_database(own_cluster)
    migrated_seeded(url, SEED_DIR).dispose()
    engine = make_engine(Settings(database_url=url, db_connect_timeout_s=2, db_pool_timeout_s=2), url)
    curation = make_curation(portal, engine, db_connect_timeout_s=2, db_pool_timeout_s=2)
    curation.api = type(curation.api)(portal, curation.api.app, raise_app_exceptions=False)
    document = notice(curation)
    outcomes: list[tuple[str, int, str]] = []
    stop = threading.Event()
    phase = ["up"]

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            slug = f"fault-{n}-{i}"
            i += 1
            response = post(curation, f"/metrics/series/{CARS}/observations", _observation(document, slug, i))
            outcomes.append((phase[0], response.status_code, slug if response.status_code == 201 else ""))
            time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    own_cluster.pause()
    phase[0] = "down"
    time.sleep(2)
    phase[0] = "starting"
    own_cluster.resume()
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    assert {status for _, status, _ in outcomes} <= {201, 503}
    assert {status for when, status, _ in outcomes if when == "down"} == {503}
    assert any(status == 201 for when, status, _ in outcomes if when == "up")
    created = {slug for _, status, slug in outcomes if status == 201}
    check = make_engine(Settings(database_url=url), url)
    with check.connect() as connection:
        recorded = set(connection.execute(select(Metric.slug).where(Metric.slug.like("fault-%"))).scalars())
        audited = connection.execute(
            text("SELECT count(*) FROM audit_entry WHERE record_type = 'metric' AND path LIKE '/metrics/series/%'")
        ).scalar_one()
    check.dispose()
    engine.dispose()
    # Every write that succeeded is there; none that failed left a row; each row has its one audit entry.
    assert created <= recorded
    assert len(recorded) == audited
    assert len(recorded) - len(created) <= 6  # at most one per writer committed as the server went down
