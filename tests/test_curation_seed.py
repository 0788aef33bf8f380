"""Seed and API together: reloading the seed never drops or alters what curators recorded through
the API, and a seed cannot redefine a record a curator made."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select

from app.loader.errors import SeedError
from app.loader.load import load_all
from tests.conftest import Curation
from tests.helpers import SEED_DIR, TWENTY_FIFTH, seed_dir_with
from tests.test_curation_api import CARS, INSTITUTE, notice, post

pytestmark = pytest.mark.slow  # seed reloads


def api_made(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row recorded through the API, table by table, in id order."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(
                    select(table).where(table.c.recorded_by.is_not(None)).order_by(table.c.id)
                )
            ]
            for name, table in metadata.tables.items()
            if "recorded_by" in table.columns
        }


def record_some(curation: Curation) -> None:
    document = notice(curation)
    writes = [
        (
            f"/initiatives/{INSTITUTE}/status",
            {
                "status": "launched",
                "effective": "in March 2025",
                "document": document,
                "quote": "opened its doors in March 2025",
            },
        ),
        (
            f"/metrics/series/{CARS}/observations",
            {
                "slug": "cars-2025-02",
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
                "slug": "cross-boundary-drone-delivery-pilot",
                "area": "innovation-and-technology",
                "title": "A laboratory",
                "summary": "A laboratory.",
                "kind": "facility",
                "status": "planned",
                "status_quote": "to start work in 2025",
                "quote": "set up a testing laboratory",
                "document": document,
            },
        ),
    ]
    for path, body in writes:
        response = post(curation, path, body)
        assert response.status_code == 201, response.text


def test_reloading_the_seed_keeps_every_api_made_record_as_it_was(curation: Curation) -> None:
    record_some(curation)
    before = api_made(curation.engine)
    assert sum(map(len, before.values())) >= 4
    history = curation.api.get(f"/initiatives/{INSTITUTE}/history").json()
    load_all(curation.engine, SEED_DIR)
    assert api_made(curation.engine) == before
    assert curation.api.get(f"/initiatives/{INSTITUTE}/history").json() == history
    assert curation.api.get(f"/initiatives/{INSTITUTE}").json()["status"] == "launched"


def test_a_seed_cannot_redefine_what_a_curator_recorded(curation: Curation, tmp_path: Path) -> None:
    record_some_once(curation)
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH)
    with pytest.raises(
        SeedError, match="cross-boundary-drone-delivery-pilot' was recorded through the API by 'curator-alice'"
    ):
        load_all(curation.engine, seed)
    assert curation.api.get("/initiatives/cross-boundary-drone-delivery-pilot").json()["title"] == "A laboratory"


def record_some_once(curation: Curation) -> None:
    if curation.api.get("/initiatives/cross-boundary-drone-delivery-pilot").status_code == 404:
        record_some(curation)
