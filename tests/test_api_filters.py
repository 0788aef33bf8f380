"""Each filter narrows to exactly the records it names, and composes with the others."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import assert_problem, seed_section, walk

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
        assert [item["id"] for item in both] == [item["id"] for item in everything if pick(item) in values[:2]]


def _slugs(api: Api, collection: str, params: dict[str, Any]) -> set[str]:
    return {item["slug"] for item in walk(api, f"/{collection}", {**params, "limit": 500})}


def test_the_organisation_filter_keeps_the_initiatives_each_organisation_leads_or_joins(
    api: Api, seed_path: Path
) -> None:
    initiatives = seed_section(seed_path, "initiatives")
    linked = 0
    for organisation in seed_section(seed_path, "organisations"):
        expected = {i.slug for i in initiatives if organisation.slug == i.lead or organisation.slug in i.partners}
        assert _slugs(api, "initiatives", {"organisation": organisation.slug}) == expected, organisation.slug
        linked += bool(expected)
    assert linked > 1


def test_the_organisation_filter_keeps_the_agreements_each_organisation_is_party_to(api: Api, seed_path: Path) -> None:
    agreements = seed_section(seed_path, "agreements")
    linked = 0
    for organisation in seed_section(seed_path, "organisations"):
        expected = {a.slug for a in agreements if organisation.slug in a.parties}
        assert _slugs(api, "agreements", {"organisation": organisation.slug}) == expected, organisation.slug
        linked += bool(expected)
    assert linked > 1


def test_the_place_filter_keeps_the_initiatives_that_concern_the_place(api: Api, seed_path: Path) -> None:
    initiatives = seed_section(seed_path, "initiatives")
    linked = 0
    for place in seed_section(seed_path, "places"):
        expected = {i.slug for i in initiatives if place.slug in i.places}
        assert _slugs(api, "initiatives", {"place": place.slug}) == expected, place.slug
        linked += bool(expected)
    assert linked > 1


def test_filters_on_unknown_slugs_are_refused(api: Api) -> None:
    # Not an empty list that looks like an answer: tests/test_api_mistakes.py has the messages.
    assert_problem(api.get("/initiatives", params={"area": "no-such-area"}), 422, "area")


def test_document_and_meeting_filters(api: Api, seed_path: Path) -> None:
    everything = walk(api, "/initiatives", {"limit": 500})
    assert walk(api, "/initiatives", {"document": "24th-plenary-press-release", "limit": 500}) == everything
    assert walk(api, "/initiatives", {"meeting": "24th-plenary", "limit": 500}) == everything
    signed_there = {a.slug for a in seed_section(seed_path, "agreements") if a.meeting == "24th-plenary"}
    assert len(signed_there) == 6  # the six signed after the meeting
    assert _slugs(api, "agreements", {"meeting": "24th-plenary"}) == signed_there


def test_metric_value_and_as_of_ranges(api: Api) -> None:
    everything = walk(api, "/metrics", {"limit": 500})
    kept = walk(api, "/metrics", {"value_min": 100, "value_max": 70000, "limit": 500})
    assert [m["id"] for m in kept] == [m["id"] for m in everything if 100 <= m["value"] <= 70000]
    early = walk(api, "/metrics", {"as_of_to": "2024-07-11", "limit": 500})
    assert [m["id"] for m in early] == [m["id"] for m in everything if m["as_of"]["end"] <= "2024-07-11"]
    late = walk(api, "/metrics", {"as_of_from": "2024-07-12", "limit": 500})
    assert [m["id"] for m in late] == [m["id"] for m in everything if m["as_of"]["start"] >= "2024-07-12"]
    assert early and late


@pytest.mark.parametrize(
    "params",
    [{"role": "co_chair"}, {"role": "delegation_member"}, {"role": "special_guest", "meeting": "24th-plenary"}],
)
def test_officials_by_role_and_meeting(api: Api, seed_path: Path, params: dict[str, str]) -> None:
    participations = seed_section(seed_path, "participations")
    expected = {p.official for p in participations if p.role == params["role"]}
    if "meeting" in params:
        expected &= {p.official for p in participations if p.meeting == params["meeting"]}
    assert expected
    assert _slugs(api, "officials", params) == expected


def test_officials_by_organisation(api: Api, seed_path: Path) -> None:
    officials = seed_section(seed_path, "officials")
    linked = 0
    for organisation in seed_section(seed_path, "organisations"):
        expected = {o.slug for o in officials if organisation.slug in {post.organisation for post in o.posts}}
        assert _slugs(api, "officials", {"organisation": organisation.slug}) == expected, organisation.slug
        linked += bool(expected)
    assert linked > 1
