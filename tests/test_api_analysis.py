"""The metrics summary and the timeline."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import event

from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.settings import Settings
from tests.conftest import SEED_DIR, Api, make_api
from tests.helpers import assert_problem, walk

CARS_SERIES = "northbound-travel-participating-cars"


def test_summary_by_unit_counts_each_series_once_by_its_latest_figure(api: Api) -> None:
    assert_summary_by_unit_matches_the_series(api)


def test_summary_by_unit_counts_each_series_once_after_the_followups_too(followup_api: Api) -> None:
    assert_summary_by_unit_matches_the_series(followup_api)


def assert_summary_by_unit_matches_the_series(api: Api) -> None:
    series = walk(api, "/metrics/series", {"limit": 500})
    body = api.get("/metrics/summary", params={"group_by": "unit"}).json()
    assert sum(g["count"] for g in body["groups"]) == len(series)
    for group in body["groups"]:
        values = [s["latest"]["value"] for s in series if s["unit"] == group["unit"]]
        assert (group["count"], group["min"], group["max"]) == (len(values), min(values), max(values))
        if len(values) == 1:
            assert (group["sum"], group["sum_reason"]) == (values[0], None)
        else:
            assert group["sum"] is None and str(len(values)) in group["sum_reason"]


def test_summary_never_adds_the_elderly_to_the_population_they_live_among(api: Api) -> None:
    """1.7 million eligible elderly and a population base of 86 million are both persons in
    healthcare; adding them (87.7 million) means nothing, nor does 7 + 5 + 2 institutions when
    the five and the two are among the seven."""
    body = api.get("/metrics/summary", params={"group_by": "area,unit", "area": "healthcare"}).json()
    groups = {group["unit"]: group for group in body["groups"]}
    persons = groups["persons"]
    assert (persons["count"], persons["min"], persons["max"]) == (2, 1_700_000, 86_000_000)
    assert persons["sum"] is None and "2 different series" in persons["sum_reason"]
    institutions = groups["institutions"]
    assert (institutions["count"], institutions["max"], institutions["sum"]) == (3, 7, None)


def test_summary_counts_a_series_reported_three_times_once_as_it_last_stood(followup_api: Api) -> None:
    def cars(**params: str) -> dict[str, Any]:
        body = followup_api.get("/metrics/summary", params={"group_by": "unit", "unit": "vehicles", **params}).json()
        [group] = body["groups"]
        return group

    assert cars() == {
        "unit": "vehicles",
        "unit_label": "vehicles",
        "unit_dimension": "count",
        "count": 1,
        "min": 120000,
        "max": 120000,
        "sum": 120000,
        "sum_reason": None,
    }
    # As it stood at the end of 2025, and as one document reported it.
    assert cars(as_of_to="2025-12-31")["sum"] == 100000
    assert cars(document="24th-plenary-press-release")["sum"] == 65000
    assert followup_api.get("/metrics", params={"unit": "vehicles", "count": "exact"}).json()["total"] == 3


def test_summary_takes_the_latest_figure_per_series_within_each_year(followup_api: Api) -> None:
    body = followup_api.get("/metrics/summary", params={"group_by": "year", "series": CARS_SERIES}).json()
    assert [(g["year"], g["count"], g["sum"]) for g in body["groups"]] == [(2026, 1, 120000)]


def test_summary_groups_combine(api: Api) -> None:
    body = api.get("/metrics/summary", params={"group_by": "area,unit,year"}).json()
    assert body["group_by"] == ["area", "unit", "year"]
    assert all(isinstance(g["year"], int) and g["area"] and g["unit"] for g in body["groups"])


def test_summary_refuses_to_add_up_different_units(api: Api) -> None:
    response = api.get("/metrics/summary", params={"group_by": "area"})
    assert response.status_code == 422
    assert "unit" in response.json()["detail"]
    one_unit = api.get("/metrics/summary", params={"group_by": "area", "unit": "persons"})
    assert one_unit.status_code == 200
    assert {g["unit"] for g in one_unit.json()["groups"]} == {"persons"}


def milestones_of(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for p in timeline["periods"] for m in p["milestones"]] + timeline["less_precise"]


def test_timeline_reads_in_date_order_and_holds_every_milestone(api: Api) -> None:
    timeline = api.get("/timeline", params={"limit": 500}).json()
    starts = [p["start"] for p in timeline["periods"]]
    assert starts == sorted(starts)
    slugs = [m["slug"] for m in milestones_of(timeline)]
    assert sorted(slugs) == sorted(m["slug"] for m in walk(api, "/milestones", {"limit": 500}))
    assert {"2024-07", "2024-09"} <= {p["period"] for p in timeline["periods"]}


@pytest.mark.parametrize(
    ("period", "name", "start", "end"),
    [
        ("month", "2024-02", "2024-02-01", "2024-02-29"),
        ("quarter", "2024-Q3", "2024-07-01", "2024-09-30"),
        ("year", "2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_a_timeline_period_starts_and_ends_on_its_own_days(
    api: Api, period: str, name: str, start: str, end: str
) -> None:
    timeline = api.get("/timeline", params={"limit": 500, "period": period}).json()
    groups = {p["period"]: p for p in timeline["periods"]}
    assert (groups[name]["start"], groups[name]["end"]) == (start, end)
    for group in timeline["periods"]:
        for milestone in group["milestones"]:  # each lies wholly in its period
            assert group["start"] <= milestone["start"] and (milestone["end"] or milestone["start"]) <= group["end"]
    assert sorted(m["slug"] for m in milestones_of(timeline)) == sorted(
        m["slug"] for m in walk(api, "/milestones", {"limit": 500})
    )


def test_milestones_less_precise_than_the_period_are_listed_apart(api: Api) -> None:
    """By month, "by the end of 2024" and "in the third quarter of 2024" may fall in any of several
    months: they are listed apart, never in a month; by year, they are in 2024."""
    by_month = api.get("/timeline", params={"limit": 500}).json()
    apart = {m["phrase"] for m in by_month["less_precise"]}
    assert {"by the end of 2024", "in the third quarter of 2024", "Since 2003"} <= apart
    assert all(
        m["precision"] != "day" or m["end"] is None or m["start"][:7] != m["end"][:7] for m in by_month["less_precise"]
    )
    by_year = api.get("/timeline", params={"limit": 500, "period": "year"}).json()
    in_2024 = {m["phrase"] for p in by_year["periods"] if p["period"] == "2024" for m in p["milestones"]}
    assert {"by the end of 2024", "in the third quarter of 2024"} <= in_2024
    assert {m["phrase"] for m in by_year["less_precise"]} >= {"2024 and 2025", "from April 2023 to July 2024"}
    # A month-precise date opened by "since" is in its month.
    since = [p for p in by_month["periods"] if any(m["phrase"] == "since July 2023" for m in p["milestones"])]
    assert [p["period"] for p in since] == ["2023-07"]


def test_an_unknown_period_is_refused(api: Api) -> None:
    assert_problem(api.get("/timeline", params={"period": "week"}), 422, "period")


def test_timeline_takes_the_milestone_filters(api: Api) -> None:
    timeline = api.get("/timeline", params={"kind": "target", "date_to": "2024-12-31", "limit": 500}).json()
    milestones = milestones_of(timeline)
    expected = [
        m
        for m in walk(api, "/milestones", {"limit": 500})
        if m["kind"] == "target" and m["end"] is not None and m["end"] <= "2024-12-31"
    ]
    assert expected
    assert sorted(m["slug"] for m in milestones) == sorted(m["slug"] for m in expected)


def timeline_pages(api: Api, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of the timeline, following the Link header."""
    pages: list[dict[str, Any]] = []
    response = api.get("/timeline", params=params)
    for _ in range(100):
        assert response.status_code == 200, response.text
        pages.append(response.json())
        if pages[-1]["next_cursor"] is None:
            assert "link" not in response.headers
            return pages
        link = response.headers["link"]
        assert link.endswith('>; rel="next"')
        response = api.get(link[link.index("<") + 1 : link.index(">")])
    raise AssertionError("the timeline's paging did not end")


def merged(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The pages' periods joined by name, and their less precise milestones, in page order (what the
    /timeline docs tell clients to do)."""
    periods: dict[str, dict[str, Any]] = {}
    for page in pages:
        for period in page["periods"]:
            periods.setdefault(period["period"], {**period, "milestones": []})["milestones"] += period["milestones"]
    return {
        "periods": sorted(periods.values(), key=lambda p: p["start"]),
        "less_precise": [m for page in pages for m in page["less_precise"]],
    }


def test_timeline_pages_merged_by_period_are_the_timeline_on_one_page(api: Api) -> None:
    whole = api.get("/timeline", params={"limit": 500, "period": "year"}).json()
    assert whole["next_cursor"] is None
    pages = timeline_pages(api, {"limit": 5, "period": "year"})
    counts = [len(milestones_of(page)) for page in pages]
    assert all(count == 5 for count in counts[:-1]) and 0 < counts[-1] <= 5
    assert sum(counts) == len(milestones_of(whole))
    # A period split across pages appears on each of them (the seed's "2024" spans several).
    names = [p["period"] for page in pages for p in page["periods"]]
    assert len(names) > len(set(names))
    assert merged(pages) == {"periods": whole["periods"], "less_precise": whole["less_precise"]}


def test_timeline_pages_keep_their_filters(api: Api) -> None:
    params = {"kind": "target", "date_to": "2024-12-31"}
    whole = api.get("/timeline", params={**params, "limit": 500}).json()
    pages = timeline_pages(api, {**params, "limit": 2})
    assert len(pages) > 1
    assert merged(pages) == {"periods": whole["periods"], "less_precise": whole["less_precise"]}
    assert all(m["kind"] == "target" for page in pages for m in milestones_of(page))


def test_timeline_pages_are_at_most_limit_and_over_500_is_refused_as_is_a_forged_cursor(api: Api) -> None:
    first = api.get("/timeline", params={"limit": 1}).json()
    assert len(milestones_of(first)) == 1
    assert first["next_cursor"]
    unbounded = api.get("/timeline", params={"limit": 501})
    assert unbounded.status_code == 422
    assert unbounded.json()["errors"][0]["name"] == "limit"
    forged = api.get("/timeline", params={"cursor": first["next_cursor"][:-2]})
    assert forged.status_code == 422
    assert forged.json()["type"] == "/problems/invalid-cursor"


def test_analysis_routes_run_their_sqlite_work_on_the_event_loop_as_the_collections_do(
    portal: BlockingPortal, database_url_factory: Callable[[str], str]
) -> None:
    """The one-hop rule (app/api/deps.run_query): on SQLite a route's statements run inline on
    the event loop, where a plain `def` route would run them on a worker thread."""
    path = database_url_factory("sqlite")
    engine = make_engine(Settings(database_url=path), path)
    upgrade(engine)
    load_all(engine, SEED_DIR)
    api = make_api(portal, engine)
    loop_thread = portal.call(threading.get_ident)
    threads: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *_: threads.append(threading.get_ident()))
    try:
        for url in ("/initiatives", "/metrics/summary?group_by=area,unit", "/timeline"):  # the first: the control
            threads.clear()
            assert api.get(url).status_code == 200, url
            assert threads and set(threads) == {loop_thread}, url
    finally:
        engine.dispose()  # its own engine: the listener goes with it
