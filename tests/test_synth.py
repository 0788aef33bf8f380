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
from tests.test_derived_state import assert_latest_figures_are_marked, assert_periods_say_what_the_statements_say

pytestmark = pytest.mark.slow  # each test synthesises its own databases

SCALE = Scale(initiatives=120)
TABLES = (
    "initiative",
    "status_statement",
    "metric_series",
    "metric",
    "milestone",
    "agreement",
    "organisation",
    "official",
    "search_entry",
    "document",
)


def _migrated(url: str) -> Engine:
    # As `coop synth` makes it: a bulk load is no request, and no statement timeout applies.
    engine = make_engine(Settings(database_url=url), url, statement_timeout=False)
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
    assert counts["document"] == 4  # the first, and three follow-ups
    assert 2.5 * 120 < counts["status_statement"] < 3.5 * 120  # about 3 per initiative
    assert counts["metric_series"] == 2 * 120
    assert 4 * 120 < counts["metric"] < 6 * 120  # about 2.5 observations per series
    assert counts["milestone"] == 3 * 120
    assert counts["agreement"] == SCALE.agreements
    assert counts["organisation"] == SCALE.organisations
    assert counts["official"] == SCALE.officials
    searchable = 120 + counts["metric"] + 3 * 120 + SCALE.agreements + SCALE.organisations + SCALE.officials
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
    assert len(detail["metrics"]) >= 2 and len(detail["milestones"]) == 3
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


def test_the_history_is_dated_quoted_and_consistent_with_the_current_state(
    portal: BlockingPortal, synthetic: Engine
) -> None:
    with synthetic.connect() as connection:

        def rows(sql: str) -> list[tuple[object, ...]]:
            return [tuple(row) for row in connection.execute(text(sql))]

        # Every statement and figure quotes its own document, dated no later than it.
        for table, day in (("status_statement", "effective_on"), ("metric", "as_of_end")):
            for quote, start, end, body, effective, published in rows(
                f"SELECT t.quote, t.quote_start, t.quote_end, d.text, t.{day}, d.published_on "
                f"FROM {table} t JOIN document d ON d.id = t.document_id"
            ):
                assert str(body)[int(str(start)) : int(str(end))] == quote
                assert str(effective) <= str(published)
        # Each initiative's stored status is its latest statement's; some changed over time.
        latest = dict(
            rows(
                "SELECT s.initiative_id, s.status FROM status_statement s WHERE s.id = "
                "(SELECT max(l.id) FROM status_statement l WHERE l.initiative_id = s.initiative_id)"
            )
        )
        assert dict(rows("SELECT id, status FROM initiative")) == latest
        first = dict(rows("SELECT initiative_id, status FROM status_statement WHERE document_id = 1"))
        assert len(first) == 120 and sum(first[i] != latest[i] for i in first) > 20
        # Every series has its first observation in the first document, and many have more.
        per_series = dict(rows("SELECT series_id, count(*) FROM metric GROUP BY series_id"))
        assert len(per_series) == 2 * 120 and sum(int(str(n)) > 1 for n in per_series.values()) > 100
    api = make_api(portal, synthetic)
    changes = api.get("/changes", params={"kind": "status_changed", "limit": 5}).json()["items"]
    assert len(changes) == 5 and all(c["previous_status"] != c["status"] for c in changes)
    # The first follow-up's statements take effect from August 2024 and are published in March 2025.
    for params in ({"as_of": "2024-07-31"}, {"known_at": "2025-03-13"}):
        earlier = api.get("/initiatives", params={**params, "limit": 500}).json()["items"]
        assert {i["id"]: i["status"] for i in earlier} == first, params


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


def test_the_derived_state_is_written_with_the_data(synthetic: Engine) -> None:
    # What the loader derives after a load, `coop synth` derives too (app/loader/periods.py).
    assert_periods_say_what_the_statements_say(synthetic)
    assert_latest_figures_are_marked(synthetic)
