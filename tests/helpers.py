"""Helpers the test modules share: reading a whole collection, judging a problem response,
making and seeding databases, and the seed records as the curators wrote them."""

import os
import shutil
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, MetaData, select, text

from app.db.engine import make_engine
from app.db.fulltext_names import FTS_TABLE
from app.db.migrate import upgrade
from app.loader.load import load_all, read_seed, seed_files
from app.loader.records import SeedFile
from app.settings import PROJECT_ROOT, Settings
from tests.postgres import PostgresCluster

# COOP_TEST_SEED_DIR lets a maintainer run the suite against a seed being edited elsewhere.
SEED_DIR = Path(os.environ.get("COOP_TEST_SEED_DIR", PROJECT_ROOT / "seed"))
# Fictional follow-up documents written for the tests (tests/fixtures/followups/).
FOLLOWUPS = Path(__file__).parent / "fixtures" / "followups"
TWENTY_FIFTH = "25th-plenary-fictional"
UPDATE = "progress-update-fictional"

# Written out rather than imported from the app, so that a changed media type fails a test.
PROBLEM = "application/problem+json"
# Fictional follow-up documents (invented for the tests) that refer to the 24th Plenary's records.
FOLLOWUPS = Path(__file__).parent / "fixtures" / "followups"
TWENTY_FIFTH = "25th-plenary-fictional"
UPDATE = "progress-update-fictional"


def walk(api: Any, url: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every item of a collection, following next_cursor page by page."""
    items: list[dict[str, Any]] = []
    params = dict(params or {})
    for _ in range(1000):
        response = api.get(url, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if body["next_cursor"] is None:
            assert "link" not in response.headers
            return items
        assert 'rel="next"' in response.headers["link"]
        params["cursor"] = body["next_cursor"]
    raise AssertionError("pagination did not end")


def assert_problem(response: httpx.Response, status: int, parameter: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status, naming `parameter` if given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= problem.keys()
    assert problem["status"] == status
    if parameter:
        assert parameter in {e["name"] for e in problem.get("errors", [])}, problem
    assert "Traceback" not in response.text
    return problem


def create_postgres_database(cluster: PostgresCluster | str) -> str:
    """A new, empty database on the cluster (or the server at a URL); returns its URL."""
    name = f"coop_{uuid.uuid4().hex[:12]}"
    admin_url = cluster if isinstance(cluster, str) else cluster.url("postgres")
    admin = make_engine(Settings(), admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if isinstance(cluster, str):
        return admin_url.rsplit("/", 1)[0] + f"/{name}"
    return cluster.url(name)


def migrated_seeded(url: str, seed_dir: Path) -> Engine:
    engine = make_engine(Settings(database_url=url), url)
    upgrade(engine)
    load_all(engine, seed_dir)
    return engine


def seed_dir_with(target: Path, *followups: str) -> Path:
    """The project's seed plus the named fictional follow-up documents (text and records)."""
    target.mkdir()
    for path in SEED_DIR.iterdir():
        shutil.copy(path, target)
    for name in followups:
        shutil.copy(FOLLOWUPS / f"{name}.txt", target)
        shutil.copy(FOLLOWUPS / f"{name}.yaml", target)
    return target


def seed_section(seed_dir: Path, section: str) -> list[Any]:
    """One section's records (initiatives, agreements, ...) across the seed files, as the
    curators wrote them: read without the database, so that what a filter keeps can be
    checked against a set computed independently of the API."""
    return [record for seed in _seed_files(seed_dir) for record in getattr(seed, section)]


@cache
def _seed_files(seed_dir: Path) -> tuple[SeedFile, ...]:
    return tuple(read_seed(path) for path in seed_files(seed_dir))


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order (the whole observable state)."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for name, table in metadata.tables.items()
            if not name.startswith(FTS_TABLE) and name != "alembic_version"
        }


def dump_after_fresh_load(url: str, seed_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The dump of the empty database at `url` after loading `seed_dir` alone."""
    fresh = make_engine(Settings(database_url=url), url)
    try:
        upgrade(fresh)
        load_all(fresh, seed_dir)
        return dump(fresh)
    finally:
        fresh.dispose()
