"""Each filter narrows to exactly the records it names, and composes with the others."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import walk

Check = Callable[[dict[str, Any]], bool]


def _values(api: Api, collection: str, pick: Callable[[dict[str, Any]], Any]) -> list[Any]:
    return sorted({pick(item) for item in walk(api, f"/{collection}", {"limit": 500}) if pick(item) is not None})


@pytest.mark.parametrize(
    ("collection", "parameter", "pick"),
    [
        ("initiatives", "area", lambda i: i["area"]["slug"]),
        ("initiatives", "status", lambda i: i["status"]),
        ("initiatives", "kind", lambda i: i["kind"]),
        ("agreements", "area", lambda a: a["area"]["slug"]),
        ("agreements", "kind", lambda a: a["kind"]),
        ("metrics", "area", lambda m: m["area"]["slug"]),
        ("metrics", "unit", lambda m: m["unit"]),
        ("metrics", "qualifier", lambda m: m["qualifier"]),
        ("milestones", "area", lambda m: m["area"]["slug"]),
        ("milestones", "kind", lambda m: m["kind"]),
        ("milestones", "precision", lambda m: m["precision"]),
        ("organisations", "jurisdiction", lambda o: o["jurisdiction"]),
        ("organisations", "kind", lambda o: o["kind"]),
        ("places", "kind", lambda p: p["kind"]),
    ],
)
def test_a_value_filter_keeps_exactly_the_matching_records(
    api: Api, collection: str, parameter: str, pick: Callable[[dict[str, Any]], Any]
) -> None:
    everything = walk(api, f"/{collection}", {"limit": 500})
    values = _values(api, collection, pick)
    assert values
    for value in values:
        kept = walk(api, f"/{collection}", {parameter: value, "limit": 500})
        expected = [item["id"] for item in everything if pick(item) == value]
        assert [item["id"] for item in kept] == expected, value
    if len(values) >= 2:  # repeatable: the union
        both = walk(api, f"/{collection}", {parameter: values[:2], "limit": 500})
        assert len(both) == sum(1 for item in everything if pick(item) in values[:2])


@pytest.mark.parametrize(
    ("collection", "parameter", "value", "related"),
    [
        ("initiatives", "organisation", "hksar-government", "organisations"),
        ("agreements", "organisation", "hksar-government", "parties"),
    ],
)
def test_organisation_filters_follow_the_links(
    api: Api, collection: str, parameter: str, value: str, related: str
) -> None:
    kept = walk(api, f"/{collection}", {parameter: value, "limit": 500})
    assert kept
    for item in kept:
        detail = api.get(f"/{collection}/{item['slug']}").json()
        assert value in {o["slug"] for o in detail[related]}


def test_place_filter_keeps_initiatives_that_concern_the_place(api: Api) -> None:
    places = walk(api, "/places", {"limit": 500})
    found_any = False
    for place in places:
        for item in walk(api, "/initiatives", {"place": place["slug"], "include": "places", "limit": 500}):
            assert place["slug"] in {p["slug"] for p in item["places"]}
            found_any = True
    assert found_any


def test_filters_on_unknown_slugs_match_nothing(api: Api) -> None:
    assert api.get("/initiatives", params={"area": "no-such-area"}).json()["items"] == []


def test_document_and_meeting_filters(api: Api) -> None:
    everything = walk(api, "/initiatives", {"limit": 500})
    assert walk(api, "/initiatives", {"document": "24th-plenary-press-release", "limit": 500}) == everything
    assert walk(api, "/initiatives", {"meeting": "24th-plenary", "limit": 500}) == everything
    agreements = walk(api, "/agreements", {"meeting": "24th-plenary", "limit": 500})
    assert len(agreements) == 6  # the six signed after the meeting


def test_metric_value_and_as_of_ranges(api: Api) -> None:
    everything = walk(api, "/metrics", {"limit": 500})
    kept = walk(api, "/metrics", {"value_min": 100, "value_max": 70000, "limit": 500})
    assert [m["id"] for m in kept] == [m["id"] for m in everything if 100 <= m["value"] <= 70000]
    early = walk(api, "/metrics", {"as_of_to": "2024-07-11", "limit": 500})
    assert all(m["as_of"]["end"] <= "2024-07-11" for m in early)
    late = walk(api, "/metrics", {"as_of_from": "2024-07-12", "limit": 500})
    assert all(m["as_of"]["start"] >= "2024-07-12" for m in late)
    assert len(early) + len(late) <= len(everything)


def test_officials_by_role_and_organisation(api: Api) -> None:
    chairs = walk(api, "/officials", {"role": "co_chair"})
    assert {o["slug"] for o in chairs} >= {"john-lee"}
    assert len(chairs) == 2
    guests = walk(api, "/officials", {"role": "special_guest", "meeting": "24th-plenary"})
    assert len(guests) == 2
