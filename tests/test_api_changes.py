"""GET /changes, /documents/{key}/changes and /changes.atom: what each document added or changed,
over the seed and the two fictional follow-ups, on both engines."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest

from tests.conftest import Api
from tests.helpers import SEED_DIR, assert_problem, seed_section, walk

SEED = "24th-plenary-press-release"
TWENTY_FIFTH = "25th-plenary-fictional-press-release"
UPDATE = "progress-update-fictional"
ATOM = "{http://www.w3.org/2005/Atom}"

# What each follow-up contributes, read off its YAML by hand: (kind, record type, record slug).
CONTRIBUTED = {
    TWENTY_FIFTH: [
        ("record_added", "area", "low-altitude-economy"),
        ("record_added", "meeting", "25th-plenary-fictional"),
        ("record_added", "initiative", "cross-boundary-drone-delivery-pilot"),
        ("record_added", "agreement", "low-altitude-economy-co-operation-agreement"),
        ("record_added", "agreement", "drone-traffic-management-mou"),
        ("record_added", "milestone", "25th-plenary-fictional-held"),
        ("record_added", "milestone", "remaining-ndas-land-use-proposals-announced-2026"),
        ("record_added", "milestone", "cross-boundary-drone-delivery-pilot-launched"),
        ("status_changed", "initiative", "gba-international-clinical-trial-institute"),
        ("status_changed", "initiative", "gogba-futian-centre"),
        ("status_changed", "initiative", "san-tin-technopole-first-phase"),
        ("status_changed", "initiative", "building-technology-research-institute"),
        ("observation_added", "metric", "northbound-travel-participating-cars-2025-09"),
        ("target_met", "milestone", "gbaicti-established"),
        ("target_met_late", "milestone", "gogba-futian-centre-opens"),
        ("target_met_late", "milestone", "building-technology-research-institute-established"),
        ("target_superseded", "milestone", "remaining-ndas-land-use-proposals-announced"),
        ("post_started", "official", "cheung-kwok-kwan"),
        ("post_ended", "official", "cheung-kwok-kwan"),
    ],
    UPDATE: [
        ("status_changed", "initiative", "building-technology-research-institute"),
        ("status_changed", "initiative", "cross-boundary-drone-delivery-pilot"),
        ("observation_added", "metric", "northbound-travel-participating-cars-2026-03"),
        ("target_met", "milestone", "cross-boundary-drone-delivery-pilot-launched"),
    ],
}


def changes(api: Api, url: str = "/changes", **params: Any) -> list[dict[str, Any]]:
    response = api.get(url, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


def what(items: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(c["kind"], c["record"]["type"], c["record"]["slug"]) for c in items]


@pytest.mark.parametrize("document", [TWENTY_FIFTH, UPDATE])
def test_a_followups_changes_are_exactly_what_it_contributed(followup_api: Api, document: str) -> None:
    items = changes(followup_api, f"/documents/{document}/changes")
    assert what(items) == CONTRIBUTED[document]
    assert {c["document"]["slug"] for c in items} == {document}


def test_every_change_quotes_its_document(followup_api: Api) -> None:
    for document in (SEED, TWENTY_FIFTH, UPDATE):
        text = followup_api.get(f"/documents/{document}/text").text
        for change in changes(followup_api, f"/documents/{document}/changes"):
            source = change["source"]
            assert text[source["start"] : source["end"]] == source["quote"], change


def test_a_status_change_has_the_status_before_and_after(followup_api: Api) -> None:
    moves = {
        (c["document"]["slug"], c["record"]["slug"]): (c["previous_status"], c["status"], c["effective"]["on"])
        for c in changes(followup_api, kind="status_changed")
    }
    assert moves == {
        (UPDATE, "building-technology-research-institute"): ("launched", "stalled", "2026-02-01"),
        (UPDATE, "cross-boundary-drone-delivery-pilot"): ("planned", "launched", "2026-02-28"),
        (TWENTY_FIFTH, "building-technology-research-institute"): ("planned", "launched", "2025-03-31"),
        (TWENTY_FIFTH, "gba-international-clinical-trial-institute"): ("planned", "launched", "2024-11-30"),
        (TWENTY_FIFTH, "gogba-futian-centre"): ("planned", "launched", "2025-01-31"),
        (TWENTY_FIFTH, "san-tin-technopole-first-phase"): ("planned", "stalled", "2025-09-18"),
    }


def test_a_new_figure_has_the_value_of_the_observation_before_it(followup_api: Api) -> None:
    cars = [
        (c["document"]["slug"], c["value"], c["previous_value"], c["series"]["slug"])
        for c in changes(followup_api, kind="observation_added", sort="published_on")
        if c["series"]["slug"] == "northbound-travel-participating-cars"
    ]
    series = "northbound-travel-participating-cars"
    assert cars == [
        (SEED, 65000, None, series),
        (TWENTY_FIFTH, 100000, 65000, series),
        (UPDATE, 120000, 100000, series),
    ]


def test_targets_reached_are_met_or_met_late_against_their_latest_possible_date(followup_api: Api) -> None:
    met = changes(followup_api, kind="target_met", sort="published_on")
    assert [(c["record"]["slug"], c["outcome"]) for c in met] == [
        ("gbaicti-established", "met"),
        ("cross-boundary-drone-delivery-pilot-launched", "met"),
    ]
    late = changes(followup_api, kind="target_met_late")
    assert [(c["record"]["slug"], c["effective"]["on"], c["milestone"]["end"]) for c in late] == [
        ("gogba-futian-centre-opens", "2025-01-31", "2024-09-30"),
        ("building-technology-research-institute-established", "2025-03-31", "2024-12-31"),
    ]


def test_a_superseded_target_names_its_replacement(followup_api: Api) -> None:
    [superseded] = changes(followup_api, kind="target_superseded")
    assert superseded["record"]["slug"] == "remaining-ndas-land-use-proposals-announced"
    assert superseded["outcome"] == "superseded"
    assert superseded["superseded_by"]["slug"] == "remaining-ndas-land-use-proposals-announced-2026"
    assert superseded["effective"]["on"] == "2025-09-18"


def test_a_new_post_and_the_post_it_ends(followup_api: Api) -> None:
    posts = changes(followup_api, kind=["post_started", "post_ended"], published_from="2025-01-01")
    assert [(c["kind"], c["record"]["slug"], c["post"]["title"], c["post"]["organisation"]["slug"]) for c in posts] == [
        ("post_started", "cheung-kwok-kwan", "Secretary for Justice", "hksar-department-of-justice"),
        ("post_ended", "cheung-kwok-kwan", "Deputy Secretary for Justice", "hksar-department-of-justice"),
    ]


def test_the_first_document_adds_every_record_it_defines(followup_api: Api) -> None:
    added: dict[str, set[str]] = {}
    for change in changes(followup_api, f"/documents/{SEED}/changes", kind="record_added"):
        added.setdefault(change["record"]["type"], set()).add(change["record"]["slug"])
    sections = {
        "area": "areas",
        "place": "places",
        "organisation": "organisations",
        "official": "officials",
        "meeting": "meetings",
        "initiative": "initiatives",
        "agreement": "agreements",
        "metric_series": "metrics",  # each figure of the first document starts a series of its own
        "milestone": "milestones",
    }
    assert added == {
        record_type: {record.slug for record in seed_section(SEED_DIR, section)}
        for record_type, section in sections.items()
    }


def test_every_record_url_answers(followup_api: Api) -> None:
    for change in changes(followup_api, published_from="2025-01-01"):
        response = followup_api.get(change["record"]["url"])
        assert response.status_code == 200, change["record"]
        assert response.json()["slug"] == change["record"]["slug"]


def test_changes_are_newest_document_first_or_oldest_first(followup_api: Api) -> None:
    newest = changes(followup_api)
    documents = list(dict.fromkeys(c["document"]["slug"] for c in newest))
    assert documents == [UPDATE, TWENTY_FIFTH, SEED]
    oldest = changes(followup_api, sort="published_on")
    assert list(dict.fromkeys(c["document"]["slug"] for c in oldest)) == [SEED, TWENTY_FIFTH, UPDATE]
    # Within a document the order is the same either way.
    for document in documents:
        assert [c for c in newest if c["document"]["slug"] == document] == [
            c for c in oldest if c["document"]["slug"] == document
        ]


def test_published_from_and_to_select_documents_by_their_date(followup_api: Api) -> None:
    between = changes(followup_api, published_from="2025-09-18", published_to="2026-03-09")
    assert {c["document"]["slug"] for c in between} == {TWENTY_FIFTH}
    assert changes(followup_api, published_from="2026-03-11") == []


def test_pages_find_every_change_exactly_once(followup_api: Api) -> None:
    everything = changes(followup_api)
    assert walk(followup_api, "/changes", {"limit": 10}) == everything
    statements = changes(followup_api, kind=["status_changed", "target_met", "target_met_late", "post_ended"])
    assert (
        walk(
            followup_api,
            "/changes",
            {"limit": 1, "kind": ["status_changed", "target_met", "target_met_late", "post_ended"]},
        )
        == statements
    )
    one_document = changes(followup_api, f"/documents/{TWENTY_FIFTH}/changes")
    assert walk(followup_api, f"/documents/{TWENTY_FIFTH}/changes", {"limit": 1}) == one_document
    oldest = changes(followup_api, sort="published_on", published_from="2025-01-01")
    assert (
        walk(followup_api, "/changes", {"limit": 3, "sort": "published_on", "published_from": "2025-01-01"}) == oldest
    )


def test_the_changes_have_an_etag_and_answer_304_to_it(followup_api: Api) -> None:
    first = followup_api.get("/changes")
    assert followup_api.get("/changes", headers={"If-None-Match": first.headers["etag"]}).status_code == 304


def test_an_unknown_document_is_a_404_problem(followup_api: Api) -> None:
    assert_problem(followup_api.get("/documents/no-such-document/changes"), 404)
    assert_problem(followup_api.get("/documents/99999999999/changes"), 404)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/changes?kind=everything", "kind"),
        ("/changes?sort=title", "sort"),
        ("/changes?published_from=2025-02-30", "published_from"),
        ("/changes?limit=0", "limit"),
        ("/changes?cursor=xyz", "cursor"),
        ("/changes?document=24th-plenary-press-release", "document"),
        (f"/documents/{SEED}/changes?published_from=2024-01-01", "published_from"),
        ("/changes.atom?limit=5", "limit"),
        ("/changes.atom?kind=nothing", "kind"),
    ],
)
def test_bad_parameters_are_422_problems_naming_them(followup_api: Api, url: str, parameter: str) -> None:
    assert_problem(followup_api.get(url), 422, parameter)


def test_a_cursor_from_another_document_or_order_is_refused(followup_api: Api) -> None:
    cursor = followup_api.get(f"/documents/{TWENTY_FIFTH}/changes", params={"limit": 1}).json()["next_cursor"]
    assert_problem(followup_api.get(f"/documents/{UPDATE}/changes", params={"cursor": cursor}), 422, "cursor")
    newest = followup_api.get("/changes", params={"limit": 1}).json()["next_cursor"]
    assert_problem(followup_api.get("/changes", params={"cursor": newest, "sort": "published_on"}), 422, "cursor")


# -- the Atom feed -----------------------------------------------------------------------


def feed(api: Api, **params: Any) -> Any:
    response = api.get("/changes.atom", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, ET.fromstring(response.content)


def test_the_feed_holds_the_latest_hundred_changes_newest_first(followup_api: Api) -> None:
    parsed, root = feed(followup_api)
    latest = changes(followup_api)[:100]
    assert len(parsed.entries) == len(root.findall(f"{ATOM}entry")) == 100
    assert [entry.link for entry in parsed.entries] == [f"http://testserver{c['record']['url']}" for c in latest]
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == 100 and all(i.startswith("urn:uuid:") for i in ids)
    updated = [entry.updated_parsed[:3] for entry in parsed.entries]
    assert updated == [tuple(int(p) for p in c["document"]["published_on"].split("-")) for c in latest]
    assert parsed.feed.updated_parsed[:3] == (2026, 3, 10)


def test_each_entry_quotes_the_document_and_names_the_change(followup_api: Api) -> None:
    parsed, _ = feed(followup_api, kind="status_changed", published_from="2026-01-01")
    titles = [entry.title for entry in parsed.entries]
    assert titles == [
        "Building Technology Research Institute: launched \u2192 stalled",
        "Cross-boundary drone delivery pilot: planned \u2192 launched",
    ]
    assert "suspended since February 2026" in parsed.entries[0].summary
    assert parsed.entries[0].author == "Government of the Hong Kong Special Administrative Region"
    assert parsed.entries[0].tags[0].term == "status_changed"


def test_entry_ids_stay_the_same_from_one_request_to_the_next(followup_api: Api) -> None:
    everything, _ = feed(followup_api)
    assert [entry.id for entry in feed(followup_api)[0].entries] == [entry.id for entry in everything.entries]
    # The same change has the same id in a filtered feed (the six status changes are all recent).
    only_statuses, _ = feed(followup_api, kind="status_changed")
    assert len(only_statuses.entries) == 6
    assert {entry.id for entry in only_statuses.entries} <= {entry.id for entry in everything.entries}


def test_a_feed_with_nothing_in_it_is_still_a_valid_feed(followup_api: Api) -> None:
    parsed, root = feed(followup_api, published_from="2030-01-01")
    assert parsed.entries == []
    assert root.find(f"{ATOM}updated") is not None
    assert datetime(*parsed.feed.updated_parsed[:6], tzinfo=UTC) < datetime(2024, 1, 1, tzinfo=UTC)


def test_the_feed_answers_304_to_its_etag(followup_api: Api) -> None:
    first = followup_api.get("/changes.atom")
    assert followup_api.get("/changes.atom", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
