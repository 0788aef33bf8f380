"""/metrics/series: each measure reported over time, listed like every collection, and one
series with its observations in date order; on the seed alone and with the two fictional
follow-ups that report the Northbound Travel cars again (65 000 -> over 100 000 -> more than 120 000)."""

import csv
import io
from typing import Any

import orjson
import pytest

from tests.conftest import Api
from tests.helpers import assert_problem, seed_section, walk

CARS = "northbound-travel-participating-cars"


def by_slug(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["slug"]: item for item in items}


def test_the_series_list_is_not_taken_for_a_metric_called_series(api: Api) -> None:
    response = api.get("/metrics/series")
    assert response.status_code == 200, response.text
    assert {"items", "next_cursor"} <= response.json().keys()
    assert api.get("/metrics/series/summary").status_code == 404  # a series slug, not the summary


def test_each_figure_of_the_seed_starts_its_own_series_of_one(api: Api, seed_path: Any) -> None:
    figures = {record.slug: record for record in seed_section(seed_path, "metrics")}
    series = by_slug(walk(api, "/metrics/series", {"limit": 500}))
    assert series.keys() == figures.keys()
    for slug, item in series.items():
        assert item["observation_count"] == 1
        assert item["latest"]["slug"] == slug
        assert item["latest"]["value"] == figures[slug].value
        assert item["unit"] == figures[slug].unit.value and item["area"]["slug"] == figures[slug].area


def test_a_series_lists_its_three_observations_in_date_order_each_with_its_quote(followup_api: Api) -> None:
    response = followup_api.get(f"/metrics/series/{CARS}")
    assert response.status_code == 200, response.text
    series = response.json()
    assert series["unit"] == "vehicles" and series["observation_count"] == 3
    assert series["initiative"]["slug"] == "northbound-travel-for-hong-kong-vehicles"
    observations = series["observations"]
    assert [(o["value"], o["qualifier"]) for o in observations] == [
        (65000, "over"),
        (100000, "over"),
        (120000, "more_than"),
    ]
    assert [o["as_of"]["end"] for o in observations] == ["2024-07-12", "2025-09-18", "2026-03-10"]
    assert [o["source"]["document"] for o in observations] == [
        "24th-plenary-press-release",
        "25th-plenary-fictional-press-release",
        "progress-update-fictional",
    ]
    for observation in observations:
        source = observation["source"]
        document = followup_api.get(f"/documents/{source['document']}").json()
        assert (source["document_title"], source["published_on"]) == (document["title"], document["published_on"])
        assert document["text"][source["start"] : source["end"]] == source["quote"]
        assert observation["unit"] == "vehicles" and observation["as_of"]["phrase"] is None
    assert "100 000" in observations[1]["source"]["quote"]
    assert followup_api.get(f"/metrics/series/{series['id']}").json() == series


def test_the_latest_observation_is_the_one_with_the_latest_as_of_date(followup_api: Api) -> None:
    cars = by_slug(walk(followup_api, "/metrics/series", {"limit": 500}))[CARS]
    assert cars["observation_count"] == 3
    assert cars["latest"] == {
        "slug": "northbound-travel-participating-cars-2026-03",
        "value": 120000,
        "qualifier": "more_than",
        "as_of": {"start": "2026-03-10", "end": "2026-03-10"},
        "document": "progress-update-fictional",
    }


def test_every_metric_names_its_series_and_the_series_filter_gives_its_observations(followup_api: Api) -> None:
    metrics = walk(followup_api, "/metrics", {"limit": 500})
    series = {item["slug"] for item in walk(followup_api, "/metrics/series", {"limit": 500})}
    assert {metric["series"] for metric in metrics} == series
    observations = walk(followup_api, "/metrics", {"series": CARS})
    assert sorted(m["slug"] for m in observations) == sorted(m["slug"] for m in metrics if m["series"] == CARS)
    assert len(observations) == 3
    detail = followup_api.get("/metrics/northbound-travel-participating-cars-2025-09").json()
    assert detail["series"] == CARS and detail["value"] == 100000
    assert_problem(followup_api.get("/metrics", params={"series": "no-such-series"}), 422, "series")


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"area": "healthcare"}, lambda s: s["area"]["slug"] == "healthcare"),
        ({"area": ["healthcare", "rule-of-law"]}, lambda s: s["area"]["slug"] in {"healthcare", "rule-of-law"}),
        ({"unit": "persons"}, lambda s: s["unit"] == "persons"),
        ({"unit": ["vehicles", "percent"]}, lambda s: s["unit"] in {"vehicles", "percent"}),
        (
            {"initiative": "ehcv-gba-pilot-scheme"},
            lambda s: (s["initiative"] or {}).get("slug") == "ehcv-gba-pilot-scheme",
        ),
        ({"document": "progress-update-fictional"}, lambda s: s["slug"] == CARS),
        ({"document": "24th-plenary-press-release"}, lambda s: True),
    ],
)
def test_each_filter_keeps_exactly_the_series_it_names(followup_api: Api, params: dict[str, Any], keep: Any) -> None:
    everything = walk(followup_api, "/metrics/series", {"limit": 500})
    expected = [s["slug"] for s in everything if keep(s)]
    assert [s["slug"] for s in walk(followup_api, "/metrics/series", {**params, "limit": 3})] == expected


@pytest.mark.parametrize("key", ["id", "slug", "label", "unit"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_order_pages_through_each_series_once_in_order(api: Api, key: str, descending: bool) -> None:
    sort = ("-" if descending else "") + key
    everything = walk(api, "/metrics/series", {"limit": 500, "sort": sort})
    paged = walk(api, "/metrics/series", {"limit": 4, "sort": sort})
    assert [s["id"] for s in paged] == [s["id"] for s in everything]
    # Ties by id ascending whichever the direction (a reversed sort in Python is stable too).
    expected = sorted(sorted(everything, key=lambda s: s["id"]), key=lambda s: s[key], reverse=descending)
    assert [s["id"] for s in everything] == [s["id"] for s in expected]
    assert len(paged) == len({s["id"] for s in paged}) == len(walk(api, "/metrics", {"limit": 500}))


def test_count_facets_and_search_work_as_on_every_collection(followup_api: Api) -> None:
    body = followup_api.get("/metrics/series", params={"count": "exact", "facets": "area,unit", "limit": 1}).json()
    everything = walk(followup_api, "/metrics/series", {"limit": 500})
    assert body["total"] == len(everything)
    units = {f["value"]: f["count"] for f in body["facets"]["unit"]}
    assert units == {u: sum(1 for s in everything if s["unit"] == u) for u in units}
    assert sum(units.values()) == len(everything)
    # A series matches a search when one of its observations does.
    found = walk(followup_api, "/metrics/series", {"q": "Northbound"})
    assert CARS in {s["slug"] for s in found}
    assert all("Northbound" in s["label"] for s in found)
    assert walk(followup_api, "/metrics/series", {"q": "zeppelin"}) == []


def test_include_observations_embeds_what_the_detail_shows(followup_api: Api) -> None:
    listed = by_slug(walk(followup_api, "/metrics/series", {"include": "observations", "limit": 5}))
    assert len(listed[CARS]["observations"]) == 3
    for slug, item in listed.items():
        assert item == followup_api.get(f"/metrics/series/{slug}").json()


def test_csv_and_ndjson_carry_every_series_flat(followup_api: Api) -> None:
    items = by_slug(walk(followup_api, "/metrics/series", {"limit": 500, "unit": "vehicles"}))
    response = followup_api.get("/metrics/series", params={"format": "csv", "unit": "vehicles", "limit": 1})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="metric_series.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert {row["slug"] for row in rows} == items.keys()
    cars = next(row for row in rows if row["slug"] == CARS)
    assert cars["observation_count"] == "3" and cars["latest_value"] == "120000"
    assert (cars["latest_qualifier"], cars["latest_as_of_end"]) == ("more_than", "2026-03-10")
    assert cars["area_slug"] == "transport-and-logistics" and cars["latest_document"] == "progress-update-fictional"
    lines = followup_api.get("/metrics/series", params={"format": "ndjson", "unit": "vehicles"}).text.splitlines()
    assert {orjson.loads(line)["slug"] for line in lines} == items.keys()


def test_an_unknown_series_is_a_404_problem(api: Api) -> None:
    for key in ("no-such-series", "999999", "99999999999"):
        problem = assert_problem(api.get(f"/metrics/series/{key}"), 404)
        assert key in problem["detail"] and "series" in problem["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sort": "value"}, "sort"),
        ({"unit": "furlongs"}, "unit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"include": "parties"}, "include"),
        ({"facets": "qualifier"}, "facets"),
        ({"area": "Not A Slug"}, "area"),
        ({"value_min": "1"}, "value_min"),  # a filter of /metrics, not of the series
        ({"cursor": "forged"}, None),
    ],
)
def test_bad_parameters_are_422_problems(api: Api, params: dict[str, str], parameter: str | None) -> None:
    assert_problem(api.get("/metrics/series", params=params), 422, parameter)


def test_the_detail_takes_no_parameters(api: Api) -> None:
    assert_problem(api.get(f"/metrics/series/{CARS}", params={"as_of": "2024-12-31"}), 422, "as_of")
    assert_problem(api.get("/metrics/series/Not_A_Slug"), 422)
