"""Sorting with keyset pages, embeds without N+1, facets and counts."""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine, event

from app.models.vocab import name_of
from app.query.resources import RESOURCES
from tests.conftest import Api, make_api
from tests.helpers import assert_problem, walk

# The fast suite pages through each collection by id; the whole suite by every sort key.
SORTABLE = [
    pytest.param(collection, key, marks=() if key == "id" else pytest.mark.slow)
    for collection, spec in RESOURCES.items()
    for key in spec.sort_keys
    if collection in {"initiatives", "metrics", "milestones", "agreements", "organisations"}
]


def _key(item: dict[str, Any], path: str) -> Any:
    return item[path]


@pytest.mark.parametrize(("collection", "key"), SORTABLE)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_order_pages_through_each_record_exactly_once(
    api: Api, collection: str, key: str, descending: bool
) -> None:
    sort = ("-" if descending else "") + key
    everything = walk(api, f"/{collection}", {"limit": 500, "sort": sort})
    paged = walk(api, f"/{collection}", {"limit": 2, "sort": sort})
    assert [i["id"] for i in paged] == [i["id"] for i in everything]
    assert len({i["id"] for i in paged}) == len(walk(api, f"/{collection}", {"limit": 500}))


def test_sort_orders_really_order(api: Api) -> None:
    titles = [i["title"] for i in walk(api, "/initiatives", {"sort": "title", "limit": 500})]
    assert titles == sorted(titles)
    values = [m["value"] for m in walk(api, "/metrics", {"sort": "-value", "limit": 500})]
    assert values == sorted(values, reverse=True)
    starts = [m["start"] for m in walk(api, "/milestones", {"sort": "start", "limit": 500})]
    assert starts == sorted(starts)


# Where each sort key that may be NULL shows in a record (a key added without a line here fails).
NULLABLE_SORT_VALUES: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("initiatives", "due"): lambda initiative: initiative["due"]["end"],
    ("agreements", "signed"): lambda agreement: agreement["signed"]["start"],
    ("milestones", "end"): lambda milestone: milestone["end"],
}
NULLABLE_SORTS = [
    (name, key) for name, spec in RESOURCES.items() for key, sort in spec.sort_keys.items() if sort.nullable
]


@pytest.mark.parametrize(("collection", "key"), NULLABLE_SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_records_without_a_value_sort_last_in_both_directions(
    api: Api, collection: str, key: str, descending: bool
) -> None:
    """The rule of app/query/engine.py: NULLs last whichever the direction, ties by id; on small
    pages, so that the cursors must step from values to NULLs."""
    value = NULLABLE_SORT_VALUES[(collection, key)]
    by_id = sorted(walk(api, f"/{collection}", {"limit": 500}), key=lambda item: item["id"])
    with_value = [item for item in by_id if value(item) is not None]
    assert with_value and len(with_value) < len(by_id), "the seed must hold both, or this proves nothing"
    expected = sorted(with_value, key=value, reverse=descending) + [item for item in by_id if value(item) is None]

    got = walk(api, f"/{collection}", {"sort": ("-" if descending else "") + key, "limit": 4})
    assert [item["id"] for item in got] == [item["id"] for item in expected]


def test_a_multi_key_sort_with_mixed_directions(api: Api) -> None:
    items = walk(api, "/initiatives", {"sort": "status,-title", "limit": 3})
    keys = [(i["status"], i["title"]) for i in items]
    by_status: dict[str, list[str]] = {}
    for status, title in keys:
        by_status.setdefault(status, []).append(title)
    assert [s for s, _ in keys] == sorted(s for s, _ in keys)
    assert all(titles == sorted(titles, reverse=True) for titles in by_status.values())


def _statements(api: Api, url: str, params: dict[str, Any]) -> int:
    """How many statements one request sends, counted by a listener on the api's own engine."""
    engine = api.app.state.engine
    count = 0

    def counter(*_: Any) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert api.get(url, params=params).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_embedding_costs_one_query_per_relation_whatever_the_page_size(
    portal: BlockingPortal, own_engine: Engine
) -> None:
    api = make_api(portal, own_engine)  # the listener must not touch the shared engine
    include = "metrics,milestones,agreements,organisations,places"
    small = _statements(api, "/initiatives", {"limit": 2, "include": include})
    large = _statements(api, "/initiatives", {"limit": 500, "include": include})
    bare = _statements(api, "/initiatives", {"limit": 500})
    assert small == large == bare + 5


def test_embeds_hold_the_related_records(api: Api) -> None:
    items = walk(api, "/initiatives", {"limit": 500, "include": "metrics,organisations"})
    metrics = walk(api, "/metrics", {"limit": 500})
    for item in items:
        expected = sorted(m["id"] for m in metrics if m["initiative"] and m["initiative"]["id"] == item["id"])
        assert sorted(m["id"] for m in item["metrics"]) == expected
        roles = [o["role"] for o in item["organisations"]]
        assert roles == sorted(roles, key=lambda r: r != "lead")  # the lead first
    assert "milestones" not in items[0]


@pytest.mark.parametrize(
    ("collection", "facets"),
    [
        ("initiatives", "area,status,kind"),
        ("metrics", "area,unit,qualifier"),
        ("milestones", "area,kind,precision"),
    ],
)
def test_facets_count_the_filtered_set_and_sum_to_the_total(api: Api, collection: str, facets: str) -> None:
    body = api.get(f"/{collection}", params={"facets": facets, "count": "exact", "limit": 1}).json()
    for name in facets.split(","):
        counts = body["facets"][name]
        assert sum(c["count"] for c in counts) == body["total"]
        value = counts[0]["value"]
        narrowed = api.get(f"/{collection}", params={name: value, "count": "exact", "limit": 1}).json()
        assert narrowed["total"] == counts[0]["count"]


def test_facets_follow_the_filters(api: Api) -> None:
    body = api.get("/initiatives", params={"area": "healthcare", "facets": "area,status", "count": "exact"}).json()
    assert body["facets"]["area"] == [{"value": "healthcare", "name": "Healthcare", "count": body["total"]}]


@pytest.mark.parametrize(
    ("collection", "facets"),
    [
        ("initiatives", "area,status,kind"),
        ("metrics", "area,unit,qualifier"),
        ("milestones", "area,kind,precision"),
        ("agreements", "area,kind"),
        ("metrics/series", "area,unit"),
        ("organisations", "jurisdiction,kind"),
    ],
)
def test_facets_zero_lists_every_possible_value_with_its_name(api: Api, collection: str, facets: str) -> None:
    """A filter sidebar shows every area and every status: those with no record count 0, after
    the others; each value has its name (the area's, or the code in words)."""
    params = {"facets": facets, "limit": 1, "area": "healthcare"} if "area" in facets else {"facets": facets}
    counted = api.get(f"/{collection}", params={**params, "limit": 1}).json()["facets"]
    every = api.get(f"/{collection}", params={**params, "limit": 1, "facets_zero": "true"}).json()["facets"]
    areas = {a["slug"]: a["name"] for a in walk(api, "/areas", {"limit": 500})}
    for name in facets.split(","):
        nonzero = [f for f in every[name] if f["count"]]
        assert nonzero == counted[name]
        zero = every[name][len(nonzero) :]
        assert all(f["count"] == 0 for f in zero)
        assert [f["value"] for f in zero] == sorted(f["value"] for f in zero)
        if name == "area":
            assert {f["value"]: f["name"] for f in every[name]} == areas
        else:
            vocabulary = vocabulary_of_facet(collection, name)
            assert {f["value"] for f in every[name]} == {member.value for member in vocabulary}
            assert all(f["name"] == name_of(f["value"]) for f in every[name])
    assert any(f["count"] == 0 for name in facets.split(",") for f in every[name])


def vocabulary_of_facet(collection: str, name: str) -> type[StrEnum]:
    spec = RESOURCES[collection.replace("metrics/series", "metric_series")]
    vocabulary = spec.facets[name].value_vocabulary
    assert vocabulary is not None
    return vocabulary


def test_a_code_facet_names_its_values_in_words(api: Api) -> None:
    facets = api.get("/metrics", params={"facets": "unit", "unit": "vehicles_per_day", "limit": 1}).json()["facets"]
    assert facets["unit"] == [{"value": "vehicles_per_day", "name": "vehicles per day", "count": 1}]


def test_facets_zero_without_facets_is_refused(api: Api) -> None:
    assert_problem(api.get("/initiatives", params={"facets_zero": "true"}), 422, "facets_zero")


def test_no_total_unless_asked(api: Api) -> None:
    body = api.get("/initiatives").json()
    assert "total" not in body and "facets" not in body
    counted = api.get("/initiatives", params={"count": "exact"}).json()
    assert counted["total"] == len(walk(api, "/initiatives", {"limit": 500}))
