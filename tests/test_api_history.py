"""GET /initiatives/{key}/history: everything the documents say about one initiative over time,
in one chronological list, over the seed and the two fictional follow-ups, on both engines."""

from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import assert_problem, walk

BTRI = "building-technology-research-institute"
SEED = "24th-plenary-press-release"
TWENTY_FIFTH = "25th-plenary-fictional-press-release"
UPDATE = "progress-update-fictional"


def history(api: Api, slug: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"/initiatives/{slug}/history", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


def outline(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(kind, effective day, document, what the entry says) per entry."""
    said = {
        "status": lambda e: (e["previous_status"], e["status"]),
        "target_reached": lambda e: (e["milestone"]["slug"], e["outcome"]),
        "target_missed": lambda e: (e["milestone"]["slug"], e["outcome"]),
        "target_superseded": lambda e: (e["milestone"]["slug"], e["superseded_by"]["slug"]),
        "observation": lambda e: (e["series"]["slug"], e["value"]),
    }
    return [(e["kind"], e["effective"]["on"], e["document"]["slug"], said[e["kind"]](e)) for e in entries]


def test_the_history_lists_each_status_with_the_one_before_it_including_a_move_backwards(followup_api: Api) -> None:
    assert outline(history(followup_api, BTRI)) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        ("status", "2025-03-31", TWENTY_FIFTH, ("planned", "launched")),
        (
            "target_reached",
            "2025-03-31",
            TWENTY_FIFTH,
            ("building-technology-research-institute-established", "met_late"),
        ),
        ("status", "2026-02-01", UPDATE, ("launched", "stalled")),
    ]


def test_each_entry_carries_its_effective_date_document_and_quote(followup_api: Api) -> None:
    stalled = history(followup_api, BTRI)[-1]
    assert stalled["effective"] == {
        "phrase": "since February 2026",
        "start": "2026-02-01",
        "end": None,
        "precision": "month",
        "qualifier": "from",
        "edtf": "2026-02/..",
        "on": "2026-02-01",
    }
    assert stalled["document"]["slug"] == UPDATE
    assert stalled["document"]["published_on"] == "2026-03-10"
    assert stalled["document"]["title"].startswith("Progress on Hong Kong/Guangdong")
    text = followup_api.get(f"/documents/{UPDATE}/text").text
    source = stalled["source"]
    assert text[source["start"] : source["end"]] == source["quote"]
    assert "suspended since February 2026" in source["quote"]


def test_a_target_reached_by_its_deadline_is_met_and_one_reached_after_it_met_late(followup_api: Api) -> None:
    reached = history(followup_api, "gba-international-clinical-trial-institute", kind="target_reached")
    assert outline(reached) == [("target_reached", "2024-11-30", TWENTY_FIFTH, ("gbaicti-established", "met"))]
    assert reached[0]["milestone"]["end"] == "2024-12-31"
    late = history(followup_api, "gogba-futian-centre", kind="target_reached")
    assert outline(late) == [("target_reached", "2025-01-31", TWENTY_FIFTH, ("gogba-futian-centre-opens", "met_late"))]
    assert late[0]["milestone"]["edtf"] == "2024-35"


def test_a_target_never_reached_is_missed_on_its_latest_possible_date_citing_the_target(followup_api: Api) -> None:
    entries = history(followup_api, "san-tin-technopole-first-phase")
    assert outline(entries) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        ("target_missed", "2024-12-31", SEED, ("san-tin-technopole-first-phase-commences", "missed")),
        ("status", "2025-09-18", TWENTY_FIFTH, ("planned", "stalled")),
    ]
    missed = entries[1]
    assert missed["effective"] == {
        "phrase": None,
        "start": "2024-12-31",
        "end": "2024-12-31",
        "precision": "day",
        "qualifier": "on",
        "edtf": "2024-12-31",
        "on": "2024-12-31",
    }
    assert "by the end of this year" in missed["source"]["quote"]


def test_a_superseded_target_names_the_new_one_on_the_date_of_the_document_that_set_it(followup_api: Api) -> None:
    entries = history(followup_api, "remaining-ndas-land-use-proposals")
    old, new = "remaining-ndas-land-use-proposals-announced", "remaining-ndas-land-use-proposals-announced-2026"
    assert outline(entries) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        # "later this year" passed unmet before the 25th Plenary set a new target.
        ("target_missed", "2024-12-31", SEED, (old, "missed")),
        ("target_superseded", "2025-09-18", TWENTY_FIFTH, (old, new)),
    ]
    assert entries[2]["superseded_by"]["end"] == "2026-12-31"
    assert "by the end of 2026" in entries[2]["source"]["quote"]


def test_the_figures_reported_about_an_initiative_are_observations_in_date_order(followup_api: Api) -> None:
    cars = [
        (e["effective"]["on"], e["value"], e["qualifier"], e["unit"])
        for e in history(followup_api, "northbound-travel-for-hong-kong-vehicles", kind="observation")
        if e["series"]["slug"] == "northbound-travel-participating-cars"
    ]
    assert cars == [
        ("2024-07-12", 65000, "over", "vehicles"),
        ("2025-09-18", 100000, "over", "vehicles"),
        ("2026-03-10", 120000, "more_than", "vehicles"),
    ]


def test_as_of_keeps_what_took_effect_by_that_day(followup_api: Api) -> None:
    assert [e["status"] for e in history(followup_api, BTRI, kind="status", as_of="2026-01-31")] == [
        "planned",
        "launched",
    ]
    assert [e["status"] for e in history(followup_api, BTRI, kind="status", as_of="2026-02-01")] == [
        "planned",
        "launched",
        "stalled",
    ]
    # At the end of 2024 the GoGBA Futian centre (due in the third quarter) was not yet open.
    as_of_2024 = history(followup_api, "gogba-futian-centre", as_of="2024-12-31")
    assert outline(as_of_2024) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        ("target_missed", "2024-09-30", SEED, ("gogba-futian-centre-opens", "missed")),
    ]


def test_a_target_is_missed_only_once_its_latest_possible_date_has_come(followup_api: Api) -> None:
    kinds = [e["kind"] for e in history(followup_api, "san-tin-technopole-first-phase", as_of="2024-12-30")]
    assert kinds == ["status"]
    kinds = [e["kind"] for e in history(followup_api, "san-tin-technopole-first-phase", as_of="2024-12-31")]
    assert kinds == ["status", "target_missed"]


def test_known_at_reads_the_history_as_the_documents_published_by_then_told_it(followup_api: Api) -> None:
    assert outline(history(followup_api, BTRI, known_at="2025-12-31")) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        ("status", "2025-03-31", TWENTY_FIFTH, ("planned", "launched")),
        (
            "target_reached",
            "2025-03-31",
            TWENTY_FIFTH,
            ("building-technology-research-institute-established", "met_late"),
        ),
    ]
    # Before the 25th Plenary reported it reached, the clinical trial institute's target read as missed.
    assert outline(history(followup_api, "gba-international-clinical-trial-institute", known_at="2025-09-17")) == [
        ("status", "2024-07-12", SEED, (None, "planned")),
        ("target_missed", "2024-12-31", SEED, ("gbaicti-established", "missed")),
    ]
    # Nothing was known of an initiative before the document that first reports it.
    assert history(followup_api, "cross-boundary-drone-delivery-pilot", known_at="2025-09-17") == []


def test_kind_keeps_only_the_kinds_asked_for(followup_api: Api) -> None:
    entries = history(followup_api, "remaining-ndas-land-use-proposals", kind=["status", "target_superseded"])
    assert [e["kind"] for e in entries] == ["status", "target_superseded"]
    # previous_status is the status before, whatever other kinds are filtered out.
    statuses = history(followup_api, BTRI, kind="status")
    assert [e["previous_status"] for e in statuses] == [None, "planned", "launched"]


@pytest.mark.parametrize(
    "slug",
    [
        BTRI,
        "san-tin-technopole-first-phase",
        "remaining-ndas-land-use-proposals",
        "northbound-travel-for-hong-kong-vehicles",
    ],
)
def test_pages_of_one_find_every_entry_exactly_once_in_order(followup_api: Api, slug: str) -> None:
    whole = history(followup_api, slug)
    assert len(whole) > 2
    assert walk(followup_api, f"/initiatives/{slug}/history", {"limit": 1}) == whole


def test_an_initiative_is_found_by_id_as_by_slug(followup_api: Api) -> None:
    initiative = followup_api.get(f"/initiatives/{BTRI}").json()
    assert history(followup_api, str(initiative["id"])) == history(followup_api, BTRI)


def test_over_the_seed_alone_a_commitment_has_its_one_status(api: Api) -> None:
    entries = history(api, BTRI)
    assert [e["status"] for e in entries if e["kind"] == "status"] == ["planned"]
    # "this year" (2024) has passed with no word of the institute: the target reads as missed.
    assert [e["kind"] for e in entries] == ["status", "target_missed"]


def test_the_history_has_an_etag_and_answers_304_to_it(followup_api: Api) -> None:
    first = followup_api.get(f"/initiatives/{BTRI}/history")
    again = followup_api.get(f"/initiatives/{BTRI}/history", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("key", ["no-such-initiative", "99999999", "99999999999999999999"])
def test_an_unknown_initiative_is_a_404_problem(followup_api: Api, key: str) -> None:
    assert_problem(followup_api.get(f"/initiatives/{key}/history"), 404)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("kind=promise", "kind"),
        ("as_of=2025-13-01", "as_of"),
        ("known_at=yesterday", "known_at"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("as_of=2025-01-01&as_of=2026-01-01", "as_of"),
        ("sort=effective", "sort"),
    ],
)
def test_bad_parameters_are_422_problems_naming_them(followup_api: Api, query: str, parameter: str) -> None:
    assert_problem(followup_api.get(f"/initiatives/{BTRI}/history?{query}"), 422, parameter)


def test_a_cursor_of_another_listing_is_refused(followup_api: Api) -> None:
    other = followup_api.get("/initiatives", params={"limit": 1}).json()["next_cursor"]
    assert_problem(followup_api.get(f"/initiatives/{BTRI}/history", params={"cursor": other}), 422, "cursor")
