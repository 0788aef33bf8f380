"""The register as of any date, through HTTP, on both engines, over the seed and the two fictional
follow-ups (tests/fixtures/followups/): `as_of` reads the effective dates using everything known,
`known_at` what the documents published by a date said; each target's outcome; officials' posts
over time; and without either date, the list reads the stored current state, not the history."""

from datetime import date
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import assert_problem, walk

BTRI = "building-technology-research-institute"
DRONES = "cross-boundary-drone-delivery-pilot"  # first reported by the 25th Plenary (2025-09-18)
NDAS = "remaining-ndas-land-use-proposals"


def initiative(api: Api, slug: str, **params: str) -> dict[str, Any]:
    response = api.get(f"/initiatives/{slug}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def outcomes(api: Api, **params: Any) -> dict[str, str | None]:
    return {m["slug"]: m["outcome"] for m in walk(api, "/milestones", {"limit": 500, **params})}


def outcome(api: Api, slug: str, **params: str) -> str | None:
    response = api.get(f"/milestones/{slug}", params=params)
    assert response.status_code == 200, response.text
    value: str | None = response.json()["outcome"]
    return value


# -- target outcomes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-11-15", "pending"),  # "by the end of 2024", not yet reached
        ("2024-12-01", "met"),  # reached "in November 2024": certainly by 2024-11-30
        ("2025-01-01", "met"),
        ("2026-06-30", "met"),
    ],
)
def test_a_target_reached_within_its_deadline_is_met_from_the_day_it_certainly_was(
    followup_api: Api, as_of: str, expected: str
) -> None:
    assert outcome(followup_api, "gbaicti-established", as_of=as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-09-01", "pending"),  # "in the third quarter of 2024"
        ("2024-12-01", "missed"),  # past 2024-09-30, not reached
        ("2025-01-15", "missed"),  # "in January 2025" certainly held only on 2025-01-31
        ("2025-02-01", "met_late"),
    ],
)
def test_a_target_reached_after_its_deadline_is_missed_then_met_late(
    followup_api: Api, as_of: str, expected: str
) -> None:
    assert outcome(followup_api, "gogba-futian-centre-opens", as_of=as_of) == expected


def test_a_target_never_reached_is_pending_until_its_deadline_then_missed(followup_api: Api) -> None:
    slug = "san-tin-technopole-first-phase-commences"
    assert outcome(followup_api, slug, as_of="2024-12-31") == "pending"
    assert outcome(followup_api, slug, as_of="2025-01-01") == "missed"
    assert outcome(followup_api, slug) == "missed"  # today


def test_a_target_replaced_by_a_later_document_is_superseded_from_its_publication(followup_api: Api) -> None:
    old, new = "remaining-ndas-land-use-proposals-announced", "remaining-ndas-land-use-proposals-announced-2026"
    assert outcome(followup_api, old, as_of="2025-09-17") == "missed"
    assert outcome(followup_api, old, as_of="2025-09-18") == "superseded"
    assert outcome(followup_api, old) == "superseded"
    assert outcome(followup_api, new) == "pending"  # by the end of 2026
    # What the register said in mid-2025 knew nothing of the new target.
    assert outcome(followup_api, old, as_of="2026-01-01", known_at="2025-06-30") == "missed"


def test_known_at_ignores_targets_reached_in_later_documents(followup_api: Api) -> None:
    assert outcome(followup_api, "gbaicti-established", known_at="2025-06-30") == "missed"
    assert outcome(followup_api, "gbaicti-established", as_of="2025-06-30") == "met"


def test_only_targets_have_an_outcome(followup_api: Api) -> None:
    milestones = walk(followup_api, "/milestones", {"limit": 500})
    assert {m["outcome"] is None for m in milestones if m["kind"] != "target"} == {True}
    assert all(m["outcome"] for m in milestones if m["kind"] == "target")


def test_the_outcome_filter_keeps_exactly_the_targets_with_those_outcomes(followup_api: Api) -> None:
    everything = outcomes(followup_api)
    for chosen in (["met"], ["met", "met_late"], ["superseded"], ["missed", "pending"]):
        kept = outcomes(followup_api, outcome=chosen)
        assert kept == {slug: value for slug, value in everything.items() if value in chosen}
        assert kept
    assert set(outcomes(followup_api, outcome=["met"])) == {"gbaicti-established", f"{DRONES}-launched"}


def test_the_outcome_filter_reads_the_outcome_as_of_the_date(followup_api: Api) -> None:
    assert "gogba-futian-centre-opens" in outcomes(followup_api, outcome=["missed"], as_of="2024-12-01")
    assert "gogba-futian-centre-opens" in outcomes(followup_api, outcome=["met_late"], as_of="2025-02-01")
    assert "gogba-futian-centre-opens" not in outcomes(followup_api, outcome=["missed"], as_of="2025-02-01")


def test_the_timeline_shows_outcomes_and_takes_the_outcome_filter(followup_api: Api) -> None:
    body = followup_api.get("/timeline", params={"outcome": ["met_late"], "limit": 500}).json()
    milestones = [m for period in body["periods"] for m in period["milestones"]] + body["less_precise"]
    shown = {m["slug"]: m["outcome"] for m in milestones}
    assert shown == {slug: value for slug, value in outcomes(followup_api).items() if value == "met_late"}
    assert "gogba-futian-centre-opens" in shown


def test_the_journalists_question_has_an_answer_with_a_quote_for_each(followup_api: Api) -> None:
    """Which 24th-Plenary targets due by the end of 2024 were met, met late, or still open a year later?"""
    answer = walk(
        followup_api,
        "/milestones",
        {
            "kind": "target",
            "document": "24th-plenary-press-release",
            "date_to": "2024-12-31",
            "as_of": "2025-12-31",
            "outcome": ["met", "met_late", "missed"],
            "limit": 500,
        },
    )
    found = {m["slug"]: m["outcome"] for m in answer}
    assert found["gbaicti-established"] == "met"
    assert found["gogba-futian-centre-opens"] == "met_late"
    assert found[f"{BTRI}-established"] == "met_late"
    assert found["san-tin-technopole-first-phase-commences"] == "missed"
    assert "remaining-ndas-land-use-proposals-announced" not in found  # superseded, not missed
    assert all(m["source"]["quote"] and m["end"] <= "2024-12-31" for m in answer)


def test_embedded_milestones_carry_their_outcome_as_of_the_date(followup_api: Api) -> None:
    def embedded(**params: str) -> dict[str, str | None]:
        record = initiative(followup_api, "gba-international-clinical-trial-institute", **params)
        return {m["slug"]: m["outcome"] for m in record["milestones"]}

    assert embedded(as_of="2024-11-15") == {"gbaicti-established": "pending"}
    assert embedded() == {"gbaicti-established": "met"}
    listed = followup_api.get("/initiatives", params={"include": "milestones", "as_of": "2024-11-15", "limit": 500})
    by_slug = {i["slug"]: i for i in listed.json()["items"]}
    assert by_slug["gba-international-clinical-trial-institute"]["milestones"][0]["outcome"] == "pending"


def test_an_agreements_embedded_targets_carry_their_outcome_as_of_the_date(followup_api: Api) -> None:
    """The drone MoU's target, "next year" (2026), reached in February 2026 (fictional follow-ups)."""
    mou, target = "drone-traffic-management-mou", "cross-boundary-drone-delivery-pilot-launched"

    def embedded(**params: str) -> dict[str, str | None]:
        response = followup_api.get(f"/agreements/{mou}", params=params)
        assert response.status_code == 200, response.text
        return {m["slug"]: m["outcome"] for m in response.json()["milestones"]}

    def listed(**params: str) -> dict[str, str | None]:
        response = followup_api.get("/agreements", params={"include": "milestones", "limit": 500, **params})
        assert response.status_code == 200, response.text
        (record,) = [a for a in response.json()["items"] if a["slug"] == mou]
        return {m["slug"]: m["outcome"] for m in record["milestones"]}

    for day, expected in (("2025-12-31", "pending"), ("2026-03-31", "met"), (None, "met")):
        params = {} if day is None else {"as_of": day}
        assert embedded(**params) == {target: expected}, day
        assert listed(**params) == {target: expected}, day
        assert followup_api.get(f"/milestones/{target}", params=params).json()["outcome"] == expected


def test_as_of_on_agreements_without_their_milestones_is_refused_not_ignored(followup_api: Api) -> None:
    problem = assert_problem(followup_api.get("/agreements", params={"as_of": "2025-12-31"}), 422, "as_of")
    assert "include=milestones" in problem["detail"]


def test_the_csv_has_the_outcome_column(followup_api: Api) -> None:
    response = followup_api.get("/milestones", params={"format": "csv", "as_of": "2025-02-01"})
    header, *rows = response.text.splitlines()
    assert "outcome" in header.split(",")
    assert any(row.startswith(f"{_milestone_id(followup_api, 'gogba-futian-centre-opens')},") for row in rows)
    assert any("met_late" in row for row in rows)


def _milestone_id(api: Api, slug: str) -> int:
    identifier: int = api.get(f"/milestones/{slug}").json()["id"]
    return identifier


# -- statuses as of a date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2024-01-01", "planned"),  # before any statement took effect: the earliest statement
        ("2024-08-01", "planned"),
        ("2025-06-30", "launched"),  # "in March 2025", reported in September 2025
        ("2026-03-01", "stalled"),  # "since February 2026": a status may move backwards
    ],
)
def test_status_as_of_a_date_is_the_latest_statement_in_effect(followup_api: Api, as_of: str, status: str) -> None:
    assert initiative(followup_api, BTRI, as_of=as_of)["status"] == status


def test_without_a_date_the_status_is_the_current_one(followup_api: Api) -> None:
    record = initiative(followup_api, BTRI)
    assert record["status"] == "stalled"
    assert record["status_quote"].startswith("The operations of the Building Technology Research Institute")


def test_the_status_quote_is_the_statements_own(followup_api: Api) -> None:
    record = initiative(followup_api, BTRI, as_of="2025-06-30")
    assert (
        record["status_quote"]
        == "The Building Technology Research Institute was set up in March 2025 and is now running."
    )


def test_known_at_reads_only_what_was_published_by_then(followup_api: Api) -> None:
    assert initiative(followup_api, BTRI, as_of="2025-06-30", known_at="2025-06-30")["status"] == "planned"
    assert initiative(followup_api, BTRI, known_at="2025-06-30")["status"] == "planned"  # as_of defaults to it
    assert initiative(followup_api, BTRI, as_of="2025-06-30")["status"] == "launched"
    # Known in mid-2026, as of mid-2025: the launch was reported by then.
    assert initiative(followup_api, BTRI, as_of="2025-06-30", known_at="2026-06-30")["status"] == "launched"


def test_the_status_filter_reads_the_status_as_of_the_date(followup_api: Api) -> None:
    def slugs(**params: Any) -> set[str]:
        return {i["slug"] for i in walk(followup_api, "/initiatives", {"limit": 500, **params})}

    assert BTRI in slugs(status=["launched"], as_of="2025-06-30")
    assert BTRI not in slugs(status=["stalled"], as_of="2025-06-30")
    assert BTRI in slugs(status=["stalled"])
    assert BTRI in slugs(status=["planned"], as_of="2025-06-30", known_at="2025-06-30")
    everything = walk(followup_api, "/initiatives", {"limit": 500, "as_of": "2025-06-30"})
    launched = slugs(status=["launched"], as_of="2025-06-30")
    assert launched == {i["slug"] for i in everything if i["status"] == "launched"}


def test_facets_count_the_statuses_as_of_the_date(followup_api: Api) -> None:
    def counted(**params: str) -> int:
        body = followup_api.get("/initiatives", params={"facets": "status", "limit": 1, **params}).json()
        return next((f["count"] for f in body["facets"]["status"] if f["value"] == "launched"), 0)

    def listed(**params: str) -> set[str]:
        everything = walk(followup_api, "/initiatives", {"limit": 500, **params})
        return {i["slug"] for i in everything if i["status"] == "launched"}

    known, reported_later = listed(as_of="2025-06-30"), listed(as_of="2025-06-30", known_at="2025-06-30")
    assert counted(as_of="2025-06-30") == len(known)
    assert counted(as_of="2025-06-30", known_at="2025-06-30") == len(reported_later)
    # Launched by mid-2025, as the 25th Plenary reported in September 2025.
    assert known - reported_later == {BTRI, "gba-international-clinical-trial-institute", "gogba-futian-centre"}


def test_the_due_window_is_the_target_in_force_on_the_date(followup_api: Api) -> None:
    before = initiative(followup_api, NDAS, as_of="2025-06-30")
    assert before["due"]["end"] == "2024-12-31" and before["due_state"] == "overdue"
    after = initiative(followup_api, NDAS, as_of="2025-10-01")
    assert after["due"] == {"start": "2025-09-18", "end": "2026-12-31"} and after["due_state"] == "due_window"
    assert initiative(followup_api, NDAS)["due"] == after["due"]  # today's, stored by the loader
    overdue = {i["slug"] for i in walk(followup_api, "/initiatives", {"as_of": "2025-06-30", "due_state": "overdue"})}
    assert NDAS in overdue
    due_2026 = {
        i["slug"] for i in walk(followup_api, "/initiatives", {"as_of": "2025-06-30", "due_from": "2025-09-18"})
    }
    assert NDAS not in due_2026


def test_an_explicit_date_today_reads_the_same_as_no_date(followup_api: Api) -> None:
    """The history reads the same as the stored current state (the loader's derivation) for today."""
    for url, params in (
        ("/initiatives", {"limit": 500, "include": "milestones,metrics,agreements"}),
        ("/milestones", {"limit": 500}),
        ("/metrics", {"limit": 500}),
    ):
        today = walk(followup_api, url, params)
        assert today == walk(followup_api, url, {**params, "as_of": date.today().isoformat()}), url
        assert today == walk(followup_api, url, {**params, "known_at": date.today().isoformat()}), url


# -- records known by a date ---------------------------------------------------------------


def test_records_first_reported_later_are_not_listed_with_known_at(followup_api: Api) -> None:
    def slugs(url: str, **params: str) -> set[str]:
        return {r["slug"] for r in walk(followup_api, url, {"limit": 500, **params})}

    assert DRONES in slugs("/initiatives")
    assert DRONES in slugs("/initiatives", as_of="2025-06-30")  # as_of alone uses everything known
    assert DRONES not in slugs("/initiatives", known_at="2025-06-30")
    assert f"{DRONES}-launched" not in slugs("/milestones", known_at="2025-06-30")
    assert "northbound-travel-participating-cars-2025-09" not in slugs("/metrics", known_at="2025-06-30")
    assert "northbound-travel-participating-cars-2025-09" in slugs("/metrics", known_at="2025-09-18")
    count = followup_api.get("/initiatives", params={"known_at": "2025-06-30", "count": "exact", "limit": 1})
    assert count.json()["total"] == len(slugs("/initiatives", known_at="2025-06-30"))


def test_the_detail_of_a_record_first_reported_later_says_when_it_was(followup_api: Api) -> None:
    for url in (
        f"/initiatives/{DRONES}",
        f"/milestones/{DRONES}-launched",
        "/metrics/northbound-travel-participating-cars-2026-03",
    ):
        problem = assert_problem(followup_api.get(url, params={"known_at": "2025-06-30"}), 404)
        assert problem["type"] == "/problems/not-yet-reported"
        assert "first reported on 20" in problem["detail"]
    problem = followup_api.get(f"/initiatives/{DRONES}", params={"known_at": "2025-06-30"}).json()
    assert "2025-09-18" in problem["detail"]
    assert followup_api.get(f"/initiatives/{DRONES}", params={"known_at": "2025-09-18"}).status_code == 200


def test_embedded_records_follow_known_at(followup_api: Api) -> None:
    record = initiative(followup_api, NDAS, known_at="2025-06-30")
    assert [m["slug"] for m in record["milestones"]] == ["remaining-ndas-land-use-proposals-announced"]
    assert len(initiative(followup_api, NDAS)["milestones"]) == 2


def test_metrics_as_of_a_date_are_the_figures_as_of_then(followup_api: Api) -> None:
    figures = walk(followup_api, "/metrics", {"as_of": "2025-06-30", "limit": 500})
    assert figures and all(m["as_of"]["end"] <= "2025-06-30" for m in figures)
    everything = walk(followup_api, "/metrics", {"limit": 500})
    assert len(figures) == len([m for m in everything if m["as_of"]["end"] <= "2025-06-30"])


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/initiatives", {"as_of": "2024-13-01"}, "as_of"),
        ("/initiatives", {"known_at": "yesterday"}, "known_at"),
        ("/initiatives/building-technology-research-institute", {"known_at": "2025-02-30"}, "known_at"),
        ("/milestones", {"outcome": "late"}, "outcome"),
        ("/milestones", {"known_at": ""}, "known_at"),
        ("/milestones/gbaicti-established", {"as_of": "soon"}, "as_of"),
        ("/metrics", {"as_of": "2025"}, "as_of"),
        ("/agreements", {"known_at": "2025-06-30"}, "known_at"),  # agreements are read as they stand
        ("/metrics/northbound-travel-participating-cars", {"as_of": "2025-06-30"}, "as_of"),  # changes nothing
        ("/officials/cheung-kwok-kwan", {"as_of": "2025-06-30"}, "as_of"),
    ],
)
def test_bad_or_unknown_dates_are_422_problems(api: Api, url: str, params: dict[str, str], parameter: str) -> None:
    assert_problem(api.get(url, params=params), 422, parameter)


def test_a_date_given_twice_is_a_422_problem(api: Api) -> None:
    assert_problem(api.get("/initiatives?known_at=2025-01-01&known_at=2025-06-30"), 422, "known_at")


# -- people over time -----------------------------------------------------------------------------


def test_an_officials_posts_show_when_each_was_held_and_every_source(followup_api: Api) -> None:
    official = followup_api.get("/officials/cheung-kwok-kwan").json()
    posts = [(p["title"], p["held_from"], p["held_until"], p["acting"]) for p in official["posts"]]
    assert posts == [
        ("Deputy Secretary for Justice", "2024-07-12", "2025-09-18", False),
        ("Secretary for Justice", "2025-09-18", None, False),
    ]
    assert {p["organisation"]["slug"] for p in official["posts"]} == {"hksar-department-of-justice"}
    first, second = official["posts"]
    assert [s["document"]["slug"] for s in first["sources"]] == ["24th-plenary-press-release"]
    assert [s["document"]["slug"] for s in second["sources"]] == ["25th-plenary-fictional-press-release"]
    assert second["sources"][0]["quote"] == "the Secretary for Justice, Mr Cheung Kwok-kwan"
    meetings = [p["meeting"]["slug"] for p in official["participations"]]
    assert meetings == ["24th-plenary", "25th-plenary-fictional"]


def test_a_post_named_again_lists_each_document_naming_it_oldest_first(followup_api: Api) -> None:
    official = followup_api.get("/officials/john-lee").json()
    (post,) = [p for p in official["posts"] if p["title"] == "Chief Executive"]
    sources = [(s["document"]["slug"], s["document"]["published_on"]) for s in post["sources"]]
    assert sources == [
        ("24th-plenary-press-release", "2024-07-12"),
        ("25th-plenary-fictional-press-release", "2025-09-18"),
    ]
    text = followup_api.get("/documents/25th-plenary-fictional-press-release/text").text
    later = post["sources"][1]
    assert text[later["start"] : later["end"]] == later["quote"]
    assert post["held_until"] is None


# -- today's reads do not read the history ----------------------------------------------------------


def test_without_a_date_the_list_and_the_record_read_the_stored_state(
    counting_followup_api: tuple[Api, list[str]],
) -> None:
    api, statements = counting_followup_api
    for url in ("/initiatives?area=innovation-and-technology&limit=20", "/initiatives?status=stalled&facets=status"):
        statements.clear()
        assert api.get(url).status_code == 200
        assert statements and not [s for s in statements if "status_statement" in s], url
    statements.clear()
    assert api.get(f"/initiatives/{BTRI}").status_code == 200
    record = next(s for s in statements if "FROM initiative JOIN area" in s)
    assert "status_statement" not in record and "milestone" not in record
    statements.clear()
    assert api.get("/initiatives?area=innovation-and-technology&limit=20&as_of=2025-06-30").status_code == 200
    assert any("status_statement" in s for s in statements)
