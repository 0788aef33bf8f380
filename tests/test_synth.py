"""`coop synth`: synthetic data in proportion to a scale, the same for the same seed, served
by the API like the curated data (full-text search included), on both engines."""

from collections.abc import Callable

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine, text

from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.models import Official
from app.settings import Settings
from app.synth import Scale, synthesise
from app.synth.columns import in_table_order, table_of
from app.synth.fill import SynthError
from tests.conftest import ENGINES, make_api

pytestmark = pytest.mark.slow  # each test synthesises its own databases

SCALE = Scale(initiatives=120)
TABLES = ("initiative", "metric", "milestone", "agreement", "organisation", "official", "search_entry")


def _migrated(url: str) -> Engine:
    engine = make_engine(Settings(database_url=url), url)
    upgrade(engine)
    return engine


def _synthesised(url: str, seed: int) -> Engine:
    engine = _migrated(url)
    synthesise(engine, SCALE, seed)
    return engine


def _contents(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in (*TABLES, "data_revision")
        }


@pytest.fixture(params=ENGINES)
def synthetic(request: pytest.FixtureRequest, database_url_factory: Callable[[str], str]) -> Engine:
    engine = _synthesised(database_url_factory(request.param), seed=7)
    request.addfinalizer(engine.dispose)
    return engine


def test_counts_are_in_proportion_to_the_scale(synthetic: Engine) -> None:
    with synthetic.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    assert counts["initiative"] == 120
    assert counts["metric"] == 5 * 120
    assert counts["milestone"] == 3 * 120
    assert counts["agreement"] == SCALE.agreements
    assert counts["organisation"] == SCALE.organisations
    assert counts["official"] == SCALE.officials
    searchable = 120 + 5 * 120 + 3 * 120 + SCALE.agreements + SCALE.organisations + SCALE.officials
    assert counts["search_entry"] >= searchable


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(
    engine_name: str, database_url_factory: Callable[[str], str]
) -> None:
    first, second, other = (_synthesised(database_url_factory(engine_name), seed) for seed in (7, 7, 8))
    try:
        assert _contents(first) == _contents(second)
        assert _contents(first)["initiative"] != _contents(other)["initiative"]
    finally:
        for engine in (first, second, other):
            engine.dispose()


def test_synthesising_into_a_database_with_data_is_refused(synthetic: Engine) -> None:
    with pytest.raises(SynthError, match="already holds"):
        synthesise(synthetic, SCALE, seed=1)


def test_the_api_serves_the_synthetic_data(portal: BlockingPortal, synthetic: Engine) -> None:
    api = make_api(portal, synthetic)
    page = api.get("/initiatives", params={"area": "healthcare", "limit": 5, "facets": "status"}).json()
    assert page["items"] and all(item["area"]["slug"] == "healthcare" for item in page["items"])
    assert sum(f["count"] for f in page["facets"]["status"]) >= len(page["items"])
    detail = api.get(f"/initiatives/{page['items'][0]['slug']}").json()
    assert len(detail["metrics"]) == 5 and len(detail["milestones"]) == 3
    assert detail["due"]["end"] is not None  # from its target milestone
    metric = detail["metrics"][0]
    source = api.get(f"/metrics/{metric['slug']}").json()["source"]
    document = api.get(f"/documents/{source['document']}").json()
    assert source["quote"] in document.get("text", source["quote"])
    word = detail["title"].split()[0].lower()
    hits = api.get("/search", params={"q": word, "type": "initiatives", "limit": 100}).json()["items"]
    assert hits, word
    assert api.get("/initiatives", params={"q": word}).json()["items"]
    assert api.get("/metrics/summary", params={"area": "healthcare", "group_by": "unit"}).status_code == 200


def _indexes_and_triggers(engine: Engine) -> set[tuple[str, ...]]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            sql = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        else:
            sql = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        return {tuple(row) for row in connection.execute(text(sql))}


@pytest.mark.parametrize("engine_name", ENGINES)
def test_indexes_and_triggers_set_aside_for_the_load_are_all_back(
    engine_name: str, database_url_factory: Callable[[str], str]
) -> None:
    migrated = _migrated(database_url_factory(engine_name))
    synthetic = _synthesised(database_url_factory(engine_name), seed=3)
    try:
        expected = _indexes_and_triggers(migrated)
        assert len(expected) > 10
        assert _indexes_and_triggers(synthetic) == expected
    finally:
        migrated.dispose()
        synthetic.dispose()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_load_that_fails_midway_leaves_every_index_and_trigger(
    engine_name: str, database_url_factory: Callable[[str], str]
) -> None:
    engine = _migrated(database_url_factory(engine_name))
    expected = _indexes_and_triggers(engine)

    def fail(_: int) -> None:
        raise RuntimeError("the load stops here")

    try:
        with pytest.raises(RuntimeError, match="stops here"):
            synthesise(engine, Scale(initiatives=20_000), seed=1, advance=fail)
        assert _indexes_and_triggers(engine) == expected
    finally:
        engine.dispose()


def test_synthetic_records_are_written_in_the_tables_column_order_whatever_their_key_order() -> None:
    table = table_of(Official)
    records = [{"honorific": "Ms", "name": "Chan Tai Man", "id": 1, "slug": "chan-tai-man-1"}]
    columns, rows = in_table_order(table, records)
    assert columns == tuple(column.name for column in table.columns if column.name in records[0])
    assert list(rows) == [(1, "chan-tai-man-1", "Chan Tai Man", "Ms")]


def test_a_synthetic_record_naming_a_column_its_table_lacks_is_refused() -> None:
    with pytest.raises(KeyError, match="official has no column nmae"):
        in_table_order(table_of(Official), [{"id": 1, "nmae": "Chan Tai Man"}])
