"""`coop export --seed DIR`: what curators recorded through the API, in the seed format, loads
with `coop seed` into a fresh database as the same records and statements."""

import shutil
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal
from typer.testing import CliRunner

from app.cli import cli
from app.export.seed import ADDITIONS, export_seed
from app.loader.load import read_seed
from app.settings import get_settings
from tests.conftest import Curation, make_api
from tests.helpers import SEED_DIR, create_postgres_database, migrated_seeded
from tests.test_curation_api import CARS, INSTITUTE, NOTICE, notice, post

pytestmark = pytest.mark.slow  # loads the seed again


def record(curation: Curation) -> None:
    document = notice(curation)
    for path, body in (
        (
            f"/initiatives/{INSTITUTE}/status",
            {
                "status": "launched",
                "effective": "2025-03",
                "document": document,
                "quote": "opened its doors in March 2025",
            },
        ),
        (
            f"/metrics/series/{CARS}/observations",
            {
                "slug": "export-cars",
                "value": 80000,
                "qualifier": "over",
                "as_of": "2025-02",
                "document": document,
                "quote": "over 80 000 Hong Kong private cars",
            },
        ),
        (
            "/initiatives",
            {
                "slug": "export-laboratory",
                "area": "innovation-and-technology",
                "title": "A laboratory",
                "summary": "A laboratory.",
                "kind": "facility",
                "status": "planned",
                "status_quote": "to start work in 2025",
                "quote": "set up a testing laboratory",
                "lead": "hksar-government",
                "document": document,
            },
        ),
    ):
        if curation.api.get("/initiatives/export-laboratory").status_code == 404:
            response = post(curation, path, body)
            assert response.status_code in (201, 409), response.text


def test_exported_records_load_as_a_seed_and_read_the_same(
    curation: Curation, tmp_path: Path, portal: BlockingPortal, request: pytest.FixtureRequest
) -> None:
    record(curation)
    exported = export_seed(curation.engine, tmp_path / "export")
    assert [item.path.name for item in exported] == [f"{NOTICE}.yaml"]
    seed = read_seed(tmp_path / "export" / f"{NOTICE}.yaml")
    assert [m.slug for m in seed.metrics] == ["export-cars"]
    assert [(s.initiative, s.when) for s in seed.status_updates] == [(INSTITUTE, "2025-03")]
    assert [i.slug for i in seed.initiatives] == ["export-laboratory"]

    combined = tmp_path / "seed"
    shutil.copytree(SEED_DIR, combined)
    for path in (tmp_path / "export").iterdir():
        shutil.copy(path, combined)
    if curation.engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_cluster"))
    fresh = make_api(portal, migrated_seeded(url, combined))
    for path in (f"/initiatives/{INSTITUTE}", "/initiatives/export-laboratory", "/metrics/export-cars"):
        ours, theirs = curation.api.get(path).json(), fresh.get(path).json()
        for field in ("title", "summary", "status", "value", "unit", "as_of", "source"):
            if field in ours:
                assert ours[field] == theirs[field], (path, field)
    history = [
        e for e in fresh.get(f"/initiatives/{INSTITUTE}/history").json()["items"] if e["document"]["slug"] == NOTICE
    ]
    assert [(e["status"], e["effective"]["edtf"], e["recorded_by"]) for e in history if e["kind"] == "status"] == [
        ("launched", "2025-03", None)  # now the seed's
    ]
    assert not list((tmp_path / "export").glob(f"*{ADDITIONS}"))


def test_the_command_line_writes_the_files(curation: Curation, tmp_path: Path) -> None:
    record(curation)
    get_settings.cache_clear()
    url = curation.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["export", "--seed", str(tmp_path)], env={"DATABASE_URL": url, "COLUMNS": "200"})
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{NOTICE}.txt").read_text(encoding="utf-8").startswith("FICTIONAL TEST DOCUMENT")
    assert (tmp_path / f"{NOTICE}.yaml").is_file()
    assert NOTICE in result.output
