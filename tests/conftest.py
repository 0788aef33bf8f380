"""Shared fixtures: real databases on both engines (a SQLite file, a throwaway PostgreSQL
cluster), migrated by Alembic and seeded by the real loader, and an httpx client that
goes through the ASGI app."""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from sqlalchemy import Engine, event

from app.curation.keys import create_key, revoke_key
from app.db.engine import make_engine
from app.main import create_app
from app.models.vocab import KeyScope
from app.settings import Settings
from tests.helpers import SEED_DIR, TWENTY_FIFTH, UPDATE, create_postgres_database, migrated_seeded, seed_dir_with
from tests.postgres import PostgresCluster, find_postgres_binaries

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster | str]:
    """A PostgreSQL server: COOP_TEST_POSTGRES_URL if given, else one started for the run."""
    external = os.environ.get("COOP_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    binaries = find_postgres_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL tests skipped: no server binaries (initdb, pg_ctl) found; "
            "install Debian's postgresql or set COOP_TEST_POSTGRES_URL"
        )
    cluster = PostgresCluster(binaries, tmp_path_factory.mktemp("pg"))
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def database_url_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Makes an empty database on the given engine and returns its URL."""

    def make(engine_name: str) -> str:
        if engine_name == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'coop.db'}"
        return create_postgres_database(request.getfixturevalue("postgres_cluster"))

    return make


# The engines every read-only test shares; _shared_engines_stay_pristine watches them.
SHARED_ENGINES: list[Engine] = []


def _shared_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seed: Path
) -> Iterator[Engine]:
    """A migrated database on the engine `request.param`, loaded from `seed`, watched by
    _shared_engines_stay_pristine while the session uses it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'coop.db'}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_cluster"))
    engine = migrated_seeded(url, seed)
    SHARED_ENGINES.append(engine)
    yield engine
    SHARED_ENGINES.remove(engine)
    engine.dispose()


@pytest.fixture(scope="session", params=ENGINES)
def seeded_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded database per engine, shared by the read-only tests."""
    yield from _shared_engine(request, tmp_path_factory, SEED_DIR)


@pytest.fixture(scope="session", params=ENGINES)
def followup_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The seed and both fictional follow-ups (tests/fixtures/followups/), per engine, read-only."""
    seed = seed_dir_with(tmp_path_factory.mktemp("followups") / "seed", TWENTY_FIFTH, UPDATE)
    yield from _shared_engine(request, tmp_path_factory, seed)


def listeners_on(engine: Engine) -> list[str]:
    """What has ever had an event listener on `engine`: its connections or its dialect.

    SQLAlchemy sets `_has_events` when a listener is added and never clears it, even after
    `event.remove`; app/query/prepared.py runs the ordinary execution path while it is set."""
    return [name for name, target in (("engine", engine), ("dialect", engine.dialect)) if target._has_events]


@pytest.fixture(autouse=True)
def _shared_engines_stay_pristine() -> Iterator[None]:
    """Fails the test that leaves a listener on a shared engine: every later test on it would
    silently run SQLAlchemy's ordinary path instead of the fast one. Use `own_engine`."""
    yield
    for engine in SHARED_ENGINES:
        touched = listeners_on(engine)
        assert not touched, f"the shared {engine.dialect.name} engine has had listeners ({touched}); use own_engine"


@pytest.fixture
def own_engine(seeded_engine: Engine) -> Iterator[Engine]:
    """A separate engine over the seeded database, for a test that attaches listeners."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    engine = make_engine(Settings(database_url=url), url)
    yield engine
    engine.dispose()


@pytest.fixture(params=ENGINES)
def empty_engine(request: pytest.FixtureRequest, database_url_factory: Callable[[str], str]) -> Iterator[Engine]:
    """A fresh, empty (unmigrated) database per engine, for tests that write."""
    url = database_url_factory(request.param)
    engine = make_engine(Settings(database_url=url), url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as blocking_portal:
        yield blocking_portal


class Api:
    """A synchronous face on httpx.AsyncClient over the ASGI app (no network)."""

    def __init__(self, portal: BlockingPortal, app: Any, *, raise_app_exceptions: bool = True) -> None:
        self.portal = portal
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.app = app

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.get(url, **kwargs))

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, url, **kwargs))


def make_api(portal: BlockingPortal, engine: Engine, **kwargs: Any) -> Api:
    settings = Settings(database_url=str(engine.url.render_as_string(hide_password=False)))
    return Api(portal, create_app(settings, engine), **kwargs)


@pytest.fixture(scope="session")
def api(portal: BlockingPortal, seeded_engine: Engine) -> Api:
    """The app over a seeded database, on each engine in turn."""
    return make_api(portal, seeded_engine)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def followup_api(portal: BlockingPortal, followup_engine: Engine) -> Api:
    """The app over the seed and both fictional follow-ups, on each engine in turn."""
    return make_api(portal, followup_engine)


@pytest.fixture
def counting_followup_api(portal: BlockingPortal, followup_engine: Engine) -> Iterator[tuple[Api, list[str]]]:
    """The app over the follow-up database on an engine of its own, with every statement recorded
    (a listener on a shared engine would send every later test down the ordinary path)."""
    url = followup_engine.url.render_as_string(hide_password=False)
    engine = make_engine(Settings(database_url=url), url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    yield make_api(portal, engine), statements
    engine.dispose()


@dataclass
class Curation:
    """An app over a seeded database of its own, for tests that write, with keys of every kind:
    `curate`, `admin`, `revoked` (a curate key revoked), `expired` (a curate key past its date)."""

    api: Api
    engine: Engine
    keys: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


def make_curation(portal: BlockingPortal, engine: Engine, **settings: Any) -> Curation:
    keys = {
        "curate": create_key(engine, "curator-alice", KeyScope.CURATE),
        "admin": create_key(engine, "admin-bob", KeyScope.ADMIN),
        "revoked": create_key(engine, "revoked-carol", KeyScope.CURATE),
        "expired": create_key(engine, "expired-dan", KeyScope.CURATE, datetime.now(UTC) - timedelta(seconds=1)),
    }
    revoke_key(engine, "revoked-carol")
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, **settings), engine)
    return Curation(Api(portal, app), engine, keys)


@pytest.fixture(scope="module", params=ENGINES)
def curation(
    request: pytest.FixtureRequest, portal: BlockingPortal, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Curation]:
    """A seeded database per engine, shared by one test module's writing tests (each writes its own
    slugs); failed authentications are not limited here (tests/test_curation_security.py does)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('curation') / 'coop.db'}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_cluster"))
    engine = migrated_seeded(url, SEED_DIR)
    yield make_curation(portal, engine, auth_failure_limit=100_000)
    engine.dispose()
