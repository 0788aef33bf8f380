"""The derived tables (app/loader/periods.py) always say what the history says, on both engines:
each initiative's status periods give, for every day, the status worked out from its statements;
each series' stored latest figure is the one the ranking picks. Facets as of a date counted from
the periods equal those counted initiative by initiative; the summary of whole series equals the
ranked one; and writes through the API keep both current at once."""

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Date, Engine, bindparam, func, select, text

from app.loader.periods import BEGINNING, END
from app.models import Initiative, StatusPeriod, StatusStatement
from app.query import dated
from tests.conftest import Api, Curation
from tests.test_curation_api import CARS, INSTITUTE, notice, post

# With `known_at` far ahead, facets are counted per initiative from the statements (the
# periods hold what everything known says, and answer only without `known_at`).
# (`known_at` may not be after today: today is everything known.)
PER_INITIATIVE = {"known_at": date.today().isoformat()}


def days_to_check(engine: Engine) -> list[date]:
    """Every effective date, the day before each, and days before and after all of them."""
    with engine.connect() as connection:
        effective = set(connection.execute(select(StatusStatement.effective_on).distinct()).scalars())
    days = {day - timedelta(days=1) for day in effective} | effective
    return sorted(days | {date(2000, 1, 1), date.today(), date(2099, 12, 31)})


def assert_periods_say_what_the_statements_say(engine: Engine) -> None:
    as_of = bindparam("day", type_=Date)
    from_statements = select(
        Initiative.id,
        func.coalesce(dated.status_statement_as_of(Initiative.id, as_of, None, "status"), Initiative.status),
    )
    from_periods = select(StatusPeriod.initiative_id, StatusPeriod.status).where(
        StatusPeriod.from_on <= as_of, StatusPeriod.until_on > as_of
    )
    with engine.connect() as connection:
        initiatives = connection.execute(select(func.count()).select_from(Initiative)).scalar_one()
        for day in days_to_check(engine):
            expected = {row[0]: row[1] for row in connection.execute(from_statements, {"day": day})}
            in_force = [tuple(row) for row in connection.execute(from_periods, {"day": day})]
            assert len(in_force) == initiatives, day  # one period per initiative, every day
            assert dict(in_force) == expected, day
        bounds = connection.execute(
            select(func.min(StatusPeriod.from_on), func.max(StatusPeriod.until_on), func.count())
        ).one()
        assert bounds[:2] == (BEGINNING, END)
        # Consecutive periods differ: a period ends where the next of the same initiative begins.
        rows = connection.execute(
            select(
                StatusPeriod.initiative_id, StatusPeriod.from_on, StatusPeriod.until_on, StatusPeriod.status
            ).order_by(StatusPeriod.initiative_id, StatusPeriod.from_on)
        ).all()
        for before, after in itertools.pairwise(rows):
            if before.initiative_id == after.initiative_id:
                assert before.until_on == after.from_on and before.status != after.status, (before, after)


def assert_latest_figures_are_marked(engine: Engine) -> None:
    with engine.connect() as connection:
        ranked = connection.execute(
            text(
                "SELECT id FROM (SELECT id, lead(id) OVER (PARTITION BY series_id ORDER BY as_of_end, id) AS next_id"
                " FROM metric) ranked WHERE next_id IS NULL"
            )
        ).scalars()
        marked = connection.execute(text("SELECT id FROM metric WHERE latest_of_series = :yes"), {"yes": True})
        assert set(marked.scalars()) == set(ranked)


def test_the_periods_and_latest_figures_of_the_seed_and_its_follow_ups(followup_engine: Engine) -> None:
    assert_periods_say_what_the_statements_say(followup_engine)
    assert_latest_figures_are_marked(followup_engine)


def facets(api: Api, **params: str) -> dict[str, Any]:
    response = api.get("/initiatives", params={"facets": "status,kind,area", "limit": 1, **params})
    assert response.status_code == 200, response.text
    counted: dict[str, Any] = response.json()["facets"]
    return counted


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"area": "healthcare"},
        {"area": "innovation-and-technology,healthcare", "kind": "scheme,institution"},
        {"status": "launched,planned"},
        {"area": "innovation-and-technology", "status": "launched", "facets_zero": "true"},
    ],
    ids=["all", "one-area", "areas-and-kinds", "statuses", "zero-counts"],
)
def test_facets_as_of_a_date_from_the_periods_equal_those_counted_per_initiative(
    counting_followup_api: tuple[Api, list[str]], followup_engine: Engine, filters: dict[str, str]
) -> None:
    followup_api, statements_run = counting_followup_api
    for day in [d for d in days_to_check(followup_engine) if d.day in (1, 30, 31, 18, 12)] + [date(2000, 1, 1)]:
        statements_run.clear()
        from_periods = facets(followup_api, as_of=day.isoformat(), **filters)
        assert any("status_period" in statement for statement in statements_run)
        statements_run.clear()
        per_initiative = facets(followup_api, as_of=day.isoformat(), **PER_INITIATIVE, **filters)
        assert not any("status_period" in statement for statement in statements_run)
        assert from_periods == per_initiative, day


def test_facets_with_a_filter_the_periods_do_not_hold_are_counted_per_initiative(
    counting_followup_api: tuple[Api, list[str]],
) -> None:
    followup_api, statements_run = counting_followup_api
    for params in ({"due_state": "overdue"}, {"q": "clinical"}, {"organisation": "hksar-government"}):
        statements_run.clear()
        counted = facets(followup_api, as_of="2025-06-30", **params)
        assert not any("status_period" in statement for statement in statements_run), params
        assert counted == facets(followup_api, as_of="2025-06-30", **PER_INITIATIVE, **params)


def test_a_summary_of_whole_series_reads_the_stored_latest_figures(
    counting_followup_api: tuple[Api, list[str]],
) -> None:
    followup_api, statements_run = counting_followup_api
    for group_by in ("unit", "area,unit", "year,unit"):
        statements_run.clear()
        stored = followup_api.get("/metrics/summary", params={"group_by": group_by})
        assert stored.status_code == 200, stored.text
        assert not any("lead(" in statement.lower() for statement in statements_run)
        # A filter on figures (here choosing every one) makes the summary rank them instead.
        ranked = followup_api.get("/metrics/summary", params={"group_by": group_by, "value_min": "-1e15"})
        assert stored.json() == ranked.json()
    for params in ({"unit": "vehicles"}, {"series": CARS, "group_by": "unit"}):
        stored = followup_api.get("/metrics/summary", params=params)
        ranked = followup_api.get("/metrics/summary", params={**params, "value_min": "-1e15"})
        assert stored.status_code == 200, stored.text
        assert stored.json() == ranked.json()
    cars = followup_api.get("/metrics/summary", params={"series": CARS, "group_by": "unit"}).json()
    series = followup_api.get(f"/metrics/series/{CARS}").json()
    assert [(g["count"], g["max"]) for g in cars["groups"]] == [(1, series["latest"]["value"])]


# -- writes through the API keep them current --------------------------------------------


def test_a_status_written_or_withdrawn_through_the_api_shows_in_the_facets_as_of_at_once(
    curation: Curation,
) -> None:
    document = notice(curation)

    def launched(as_of: str, **params: str) -> int:
        counted = facets(curation.api, as_of=as_of, area="innovation-and-technology", **params)
        return next((f["count"] for f in counted["status"] if f["value"] == "launched"), 0)

    before = launched("2025-03-31")
    body = {
        "status": "launched",
        "effective": "in March 2025",
        "document": document,
        "quote": "opened its doors in March 2025",
    }
    response = post(curation, f"/initiatives/{INSTITUTE}/status", body)
    assert response.status_code == 201, response.text
    assert launched("2025-03-31") == before + 1 == launched("2025-03-31", **PER_INITIATIVE)
    assert launched("2025-02-28") == launched("2025-02-28", **PER_INITIATIVE)
    assert_periods_say_what_the_statements_say(curation.engine)

    reason = {"reason": "Recorded twice."}
    withdrawal = curation.api.request(
        "DELETE", response.headers["location"], json=reason, headers=curation.auth("curate")
    )
    assert withdrawal.status_code == 200, withdrawal.text
    assert launched("2025-03-31") == before
    assert_periods_say_what_the_statements_say(curation.engine)


def test_a_new_initiative_and_a_patch_of_its_kind_show_in_the_facets_as_of(curation: Curation) -> None:
    document = notice(curation)
    body = {
        "slug": "derived-state-testing-laboratory",
        "area": "innovation-and-technology",
        "title": "Derived State Testing Laboratory",
        "summary": "A laboratory used by the tests of derived state.",
        "kind": "facility",
        "status": "planned",
        "status_quote": "to start work in 2025",
        "quote": "set up a testing laboratory for modular construction",
        "lead": "hksar-government",
        "document": document,
    }
    response = post(curation, "/initiatives", body)
    assert response.status_code == 201, response.text
    assert_periods_say_what_the_statements_say(curation.engine)
    url = response.headers["location"]
    kinds = {"as_of": "2025-06-30", "area": "innovation-and-technology"}
    assert facets(curation.api, **kinds)["kind"] == facets(curation.api, **kinds, **PER_INITIATIVE)["kind"]

    headers = {
        **curation.auth("curate"),
        "Content-Type": "application/merge-patch+json",
        "If-Match": curation.api.get(url).headers["etag"],
    }
    patched = curation.api.request("PATCH", url, content=b'{"kind": "institution"}', headers=headers)
    assert patched.status_code == 200, patched.text
    counted = facets(curation.api, **kinds)["kind"]
    assert counted == facets(curation.api, **kinds, **PER_INITIATIVE)["kind"]
    assert counted == facets(curation.api, area="innovation-and-technology")["kind"]  # today's, stored
    assert_periods_say_what_the_statements_say(curation.engine)


def test_a_figure_written_through_the_api_becomes_its_series_latest_at_once(curation: Curation) -> None:
    document = notice(curation)
    body = {
        "slug": "northbound-travel-participating-cars-derived-2025-02",
        "value": 81000,
        "qualifier": "over",
        "as_of": "2025-02",
        "document": document,
        "quote": "By the end of February 2025, over 80 000 Hong Kong private cars had taken part in Northbound Travel",
    }
    response = post(curation, f"/metrics/series/{CARS}/observations", body)
    assert response.status_code == 201, response.text
    assert_latest_figures_are_marked(curation.engine)
    summary = curation.api.get("/metrics/summary", params={"series": CARS, "group_by": "unit"}).json()
    assert [(g["count"], g["max"]) for g in summary["groups"]] == [(1, 81000)]
