"""The mistakes a new user makes, one test each: every answer is a 422 problem naming the
parameter and saying, in plain words, what to do instead."""

from typing import Any

import pytest

from app.query import engine as engine_module
from tests.conftest import Api
from tests.helpers import assert_problem


def detail_of(api: Api, url: str, parameter: str, params: Any = None) -> str:
    """The problem's message about `parameter` (the one in `errors`, also in `detail`)."""
    problem = assert_problem(api.get(url, params=params), 422, parameter)
    message = next(e["detail"] for e in problem["errors"] if e["name"] == parameter)
    assert message in problem["detail"]
    return str(message)


# -- a slug that names no record ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter", "suggested"),
    [
        ("/initiatives?area=helthcare", "area", "healthcare"),
        ("/agreements?area=helthcare", "area", "healthcare"),
        ("/metrics?area=helthcare", "area", "healthcare"),
        ("/metrics/series?area=helthcare", "area", "healthcare"),
        ("/milestones?area=helthcare", "area", "healthcare"),
        ("/timeline?area=helthcare", "area", "healthcare"),
        ("/metrics/summary?area=helthcare", "area", "healthcare"),
        ("/initiatives?organisation=hksar-govt", "organisation", "hksar-government"),
        ("/officials?organisation=hksar-govt", "organisation", "hksar-government"),
        ("/initiatives?place=nansa", "place", "nansha"),
        ("/initiatives?meeting=24-plenary", "meeting", "24th-plenary"),
        ("/agreements?meeting=24-plenary", "meeting", "24th-plenary"),
        ("/initiatives?document=24th-plenary-press", "document", "24th-plenary-press-release"),
        ("/metrics?series=northbound-travel-cars", "series", "northbound-travel-participating-cars"),
        ("/metrics?initiative=san-tin-technopole", "initiative", "san-tin-technopole-first-phase"),
        # As of a date (the history) and as CSV, too.
        ("/initiatives?area=helthcare&as_of=2025-01-01", "area", "healthcare"),
        ("/initiatives?area=helthcare&format=csv", "area", "healthcare"),
    ],
)
def test_a_slug_naming_no_record_is_refused_with_the_closest_slugs(
    api: Api, url: str, parameter: str, suggested: str
) -> None:
    message = detail_of(api, url, parameter)
    assert "Did you mean" in message and suggested in message, message


def test_a_mistyped_slug_among_good_ones_is_refused_too(api: Api) -> None:
    message = detail_of(api, "/initiatives?area=healthcare&area=helthcare", "area")
    assert "'helthcare'" in message and "Did you mean healthcare?" in message


def test_a_slug_like_nothing_known_is_refused_without_a_guess(api: Api) -> None:
    message = detail_of(api, "/initiatives?area=zzzzzz", "area")
    assert "No area has the slug 'zzzzzz'" in message and "Did you mean" not in message


def test_known_slugs_with_nothing_to_list_are_an_empty_page(api: Api) -> None:
    response = api.get("/initiatives", params={"area": "healthcare", "status": "dropped"})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


# -- a cursor taken somewhere else ----------------------------------------------------


def _next_cursor(api: Api, url: str) -> str:
    cursor = api.get(url).json()["next_cursor"]
    assert cursor
    return str(cursor)


def test_a_cursor_from_another_collection_is_refused(api: Api) -> None:
    cursor = _next_cursor(api, "/metrics?limit=1")
    message = detail_of(api, "/initiatives", "cursor", {"cursor": cursor})
    assert "belongs to metrics, not initiatives" in message and "without cursor" in message


def test_a_cursor_from_another_sort_is_refused_naming_both_sorts(api: Api) -> None:
    cursor = _next_cursor(api, "/initiatives?limit=1&sort=title")
    message = detail_of(api, "/initiatives", "cursor", {"cursor": cursor, "sort": "-title"})
    assert "sort=title,id, not sort=-title,id" in message


def test_a_cursor_with_other_filters_is_refused(api: Api) -> None:
    cursor = _next_cursor(api, "/initiatives?limit=1&area=healthcare")
    message = detail_of(api, "/initiatives", "cursor", {"cursor": cursor, "area": "innovation-and-technology"})
    assert "other filters" in message and "without cursor" in message
    # The same filters in another order are the same list; `limit` and `include` may change.
    two = _next_cursor(api, "/initiatives?limit=1&status=ongoing&status=planned")
    response = api.get("/initiatives", params=[("status", "planned"), ("status", "ongoing"), ("cursor", two)])
    assert response.status_code == 200, response.text
    assert api.get("/initiatives", params={"cursor": cursor, "area": "healthcare", "limit": 5}).status_code == 200


def test_a_history_cursor_belongs_to_its_initiative(api: Api) -> None:
    slug = "building-technology-research-institute"
    cursor = _next_cursor(api, f"/initiatives/{slug}/history?limit=1")
    assert api.get(f"/initiatives/{slug}/history", params={"cursor": cursor}).status_code == 200
    message = detail_of(api, "/initiatives/san-tin-technopole-first-phase/history", "cursor", {"cursor": cursor})
    assert "belongs to the history of initiative" in message


# -- errors that say what to do -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter", "fix"),
    [
        # A misspelt parameter: the closest one of this endpoint, and every one it takes.
        ("/initiatives?aera=healthcare", "aera", "Did you mean area?"),
        ("/initiatives?aera=healthcare", "aera", "It takes: area, status, kind"),
        ("/initiatives?sort_by=title", "sort_by", "Did you mean sort?"),
        ("/metrics?limt=5", "limt", "Did you mean limit?"),
        ("/initiatives/healthcare-cooperation?include=metrics", "include", "takes: as_of"),
        ("/areas/healthcare?as_of=2024-01-01", "as_of", "which takes none"),
        # sort, include, facets and group_by list what they take, never a regular expression.
        ("/initiatives?sort=titel", "sort", "keys, each with - before it for descending order: id, slug, title"),
        ("/initiatives?sort=titel", "sort", "Did you mean title?"),
        ("/initiatives?sort=-Title", "sort", "Did you mean title?"),
        ("/initiatives?include=metric", "include", "comma-separated list of: metrics, milestones"),
        ("/initiatives?include=metric", "include", "Did you mean metrics?"),
        ("/initiatives?facets=areas", "facets", "Did you mean area?"),
        ("/metrics/summary?group_by=units", "group_by", "list of: area, unit, year"),
        # A slug-shaped value in another shape: the rule, and the slug it probably is.
        ("/initiatives?area=Healthcare", "area", "Did you mean healthcare?"),
        ("/initiatives?area=Financial%20Services", "area", "Did you mean financial-services?"),
        ("/initiatives?area=financial_services", "area", "lower-case letters and digits"),
        # Dates: the format, and the date meant when it is plain.
        ("/milestones?date_from=yesterday", "date_from", "must be a date written YYYY-MM-DD, like 2024-12-31"),
        ("/milestones?date_from=2024/07/01", "date_from", "did you mean date_from=2024-07-01?"),
        ("/milestones?date_from=31/12/2024", "date_from", "did you mean date_from=2024-12-31?"),
        ("/milestones?date_to=2024-02-30", "date_to", "2024-02-30 is no day of the calendar"),
        ("/milestones?date_to=2024-12", "date_to", "give its first or last day"),
        ("/initiatives?as_of=2024", "as_of", "YYYY-MM-DD"),
        # Closed vocabularies: every value, and the one meant (wrong case, a near miss).
        ("/initiatives?status=Completed", "status", "Did you mean completed?"),
        ("/initiatives?status=finished", "status", "must be one of: planned, in_progress"),
        ("/initiatives?status=in-progress", "status", "Did you mean in_progress?"),
        ("/initiatives?format=CSV", "format", "Did you mean csv?"),
        ("/initiatives?count=true", "count", "must be one of: exact"),
        # Numbers out of range, negative or not numbers at all: the range, and how to get more.
        ("/initiatives?limit=0", "limit", "limit must be from 1 to 500, not 0"),
        ("/initiatives?limit=10000", "limit", "ask for format=csv"),
        ("/initiatives?limit=-5", "limit", "from 1 to 500"),
        ("/initiatives?limit=ten", "limit", "limit must be a whole number from 1 to 500"),
        ("/initiatives?limit=2.5", "limit", "whole number"),
        ("/metrics?value_min=lots", "value_min", "must be a finite number"),
        ("/initiatives?format=csv&bom=yes%20please", "bom", "must be true or false"),
        # Given twice where one value is taken.
        ("/initiatives?limit=5&limit=10", "limit", "give it once"),
        # Empty where a value is needed.
        ("/search?q=", "q", "q is empty: give it a value, for example q=hydrogen."),
        ("/search", "q", "q is required, for example q=hydrogen"),
    ],
)
def test_each_mistake_is_answered_with_what_to_do(api: Api, url: str, parameter: str, fix: str) -> None:
    message = detail_of(api, url, parameter)
    assert fix in message, message
    for jargon in ("Input should", "Extra inputs", "Value error", "^", "pattern"):
        assert jargon not in message, message


# -- one naming of date ranges, the old names kept for a release ------------------------


@pytest.mark.parametrize(
    ("old", "new", "day"), [("due_before", "due_to", "2024-12-31"), ("due_after", "due_from", "2024-07-12")]
)
def test_a_renamed_date_filter_still_answers_by_its_old_name(api: Api, old: str, new: str, day: str) -> None:
    by_new = api.get("/initiatives", params={new: day, "limit": 500}).json()["items"]
    assert by_new
    assert api.get("/initiatives", params={old: day, "limit": 500}).json()["items"] == by_new
    # As of a date too (read from the history).
    as_of = {"as_of": "2025-06-30", "limit": 500}
    assert (
        api.get("/initiatives", params={old: day, **as_of}).json()
        == api.get("/initiatives", params={new: day, **as_of}).json()
    )


def test_an_old_and_a_new_name_together_are_refused(api: Api) -> None:
    message = detail_of(api, "/initiatives", "due_before", {"due_before": "2024-12-31", "due_to": "2024-12-31"})
    assert message == "due_before is the old name of due_to: give due_to only."


def test_every_date_range_is_named_from_and_to_and_old_names_are_deprecated(api: Api) -> None:
    document = api.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter["schema"]
            if schema.get("format") != "date" or parameter["name"] in ("as_of", "known_at"):
                continue
            renamed = parameter["name"] in ("due_before", "due_after")
            assert parameter["name"].endswith(("_from", "_to")) or renamed, (path, parameter["name"])
            assert parameter.get("deprecated", False) is renamed, (path, parameter["name"])
    assert "due_before" not in api.get("/initiatives?aera=x").json()["detail"]  # not offered any more


# -- a repeatable filter takes a comma-separated list too ---------------------------------


@pytest.mark.parametrize(
    ("url", "repeated"),
    [
        ("/initiatives?area=healthcare,financial-services", "/initiatives?area=healthcare&area=financial-services"),
        (
            "/initiatives?status=ongoing,planned&area=healthcare",
            "/initiatives?status=ongoing&status=planned&area=healthcare",
        ),
        ("/metrics?unit=vehicles,percent", "/metrics?unit=vehicles&unit=percent"),
        ("/milestones?kind=target,scheduled&kind=happened", "/milestones?kind=target&kind=scheduled&kind=happened"),
        ("/timeline?kind=target,scheduled", "/timeline?kind=target&kind=scheduled"),
        ("/changes?kind=record_added,status_changed", "/changes?kind=record_added&kind=status_changed"),
        (
            "/initiatives/building-technology-research-institute/history?kind=status,observation",
            "/initiatives/building-technology-research-institute/history?kind=status&kind=observation",
        ),
    ],
)
def test_a_repeatable_filter_takes_a_comma_separated_list(api: Api, url: str, repeated: str) -> None:
    by_commas, by_repeats = api.get(url), api.get(repeated)
    assert by_commas.status_code == by_repeats.status_code == 200, by_commas.text
    assert by_commas.json() == by_repeats.json()


def test_a_mistyped_value_in_a_comma_separated_list_is_named(api: Api) -> None:
    assert "'helthcare'" in detail_of(api, "/initiatives?area=healthcare,helthcare", "area")
    assert "Did you mean planned" in detail_of(api, "/initiatives?status=ongoing,planed", "status")


def test_free_text_is_not_split_at_commas(api: Api) -> None:
    # A city's name may hold a comma: it is one value.
    response = api.get("/meetings", params={"city": "Guangzhou,Hong Kong"})
    assert response.status_code == 200 and response.json()["items"] == []


# -- the register's dates --------------------------------------------------------------------


def test_known_at_in_the_future_is_refused_saying_what_to_give_instead(api: Api) -> None:
    for url in (
        "/initiatives?known_at=2999-01-01",
        "/initiatives/san-tin-technopole-first-phase?known_at=2999-01-01",
        "/initiatives/san-tin-technopole-first-phase/history?known_at=2999-01-01",
    ):
        message = detail_of(api, url, "known_at")
        assert "is after today" in message and "Leave known_at out" in message and "give as_of" in message


def test_as_of_in_the_future_is_a_question_about_then(api: Api) -> None:
    # Which commitments will be overdue by then, if nothing changes: a fair question, answered.
    response = api.get("/initiatives", params={"as_of": "2999-01-01", "due_state": "overdue"})
    assert response.status_code == 200 and response.json()["items"]


@pytest.mark.parametrize("parameter", ["area", "status", "as_of", "limit", "value_min"])
def test_an_empty_value_says_to_give_one_or_leave_it_out(api: Api, parameter: str) -> None:
    path = "/metrics" if parameter == "value_min" else "/initiatives"
    assert (
        detail_of(api, f"{path}?{parameter}=", parameter)
        == f"{parameter} is empty: give it a value, or leave {parameter} out."
    )


# -- wrong paths, methods and names from other APIs ------------------------------------------


@pytest.mark.parametrize(
    ("url", "fix"),
    [
        ("/initiative", "Did you mean /initiatives?"),
        ("/initiative/san-tin-technopole-first-phase", "Did you mean /initiatives/san-tin-technopole-first-phase?"),
        ("/organizations", "Did you mean /organisations?"),
        ("/no-such-thing", "GET / lists the collections"),
        ("/initiatives/san-tin-technopole-first-phase/timeline", "There is nothing at"),
        ("/initiatives/san-tin-technopole", "Did you mean san-tin-technopole-first-phase?"),
        ("/areas/helthcare", "Did you mean healthcare?"),
    ],
)
def test_a_path_that_names_nothing_is_a_404_offering_the_path_meant(api: Api, url: str, fix: str) -> None:
    problem = assert_problem(api.get(url), 404)
    assert fix in problem["detail"], problem["detail"]
    assert f"Did you mean {url}?" not in problem["detail"]  # never the very path asked for


def test_a_method_a_path_does_not_take_is_a_405_naming_those_it_does(api: Api) -> None:
    problem = assert_problem(api.request("PUT", "/areas"), 405)
    assert "PUT is not allowed on /areas: use GET" in problem["detail"], problem["detail"]
    problem = assert_problem(api.request("DELETE", "/initiatives"), 405)
    assert "use GET" in problem["detail"] and "POST" in problem["detail"], problem["detail"]


@pytest.mark.parametrize(
    ("url", "parameter", "fix"),
    [
        ("/search?query=hydrogen", "query", "Did you mean q?"),
        ("/initiatives?order_by=title", "order_by", "Did you mean sort?"),
        ("/initiatives?per_page=10", "per_page", "Did you mean limit?"),
        ("/initiatives?page=2", "page", "pages with cursor: pass the next_cursor"),
        ("/initiatives?offset=20", "offset", "Did you mean cursor?"),
        ("/initiatives?expand=metrics", "expand", "Did you mean include?"),
        ("/initiatives?sort=due%20desc", "sort", "Did you mean -due?"),
        ("/initiatives?sort=%2Btitle", "sort", "Did you mean title?"),  # "+title" arrives as " title"
    ],
)
def test_names_from_other_apis_get_this_apis(api: Api, url: str, parameter: str, fix: str) -> None:
    message = detail_of(api, url, parameter)
    assert fix in message, message


def test_a_large_table_offers_slugs_near_the_unknown_one(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """Of a table too large to compare whole, the slugs next to the unknown one and those of its
    first letter are compared: a missing end and a slip inside are both found."""
    monkeypatch.setattr(engine_module, "SLUG_CANDIDATES", 6)  # every table of the seed is larger
    assert "Did you mean healthcare?" in detail_of(api, "/initiatives?area=helthcare", "area")
    message = detail_of(api, "/metrics?initiative=san-tin-technopole", "initiative")
    assert "san-tin-technopole-first-phase" in message, message
