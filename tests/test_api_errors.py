"""Bad input is a clear RFC 9457 problem (4xx), never a 500 and never silently ignored."""

import pytest
from fastapi import FastAPI

from tests.conftest import Api, make_api
from tests.helpers import assert_problem


def test_unknown_path_is_a_404_problem(api: Api) -> None:
    assert_problem(api.get("/no-such-path"), 404)


def test_wrong_method_is_a_405_problem(api: Api) -> None:
    assert_problem(api.request("DELETE", "/initiatives"), 405)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/initiatives?limit=-1", "limit"),
        ("/initiatives?limit=0", "limit"),
        ("/initiatives?limit=501", "limit"),
        ("/initiatives?limit=ten", "limit"),
        ("/initiatives?bogus=1", "bogus"),
        ("/metrics?unit=furlongs", "unit"),
        ("/initiatives?status=finished", "status"),
        ("/initiatives?area=Not%20A%20Slug", "area"),
        ("/milestones?date_to=2024-02-30", "date_to"),
        ("/milestones?date_from=yesterday", "date_from"),
        ("/initiatives?sort=colour", "sort"),
        ("/initiatives?sort=title,title", "sort"),
        ("/initiatives?include=everything", "include"),
        ("/initiatives?facets=colour", "facets"),
        ("/initiatives?count=approximate", "count"),
        ("/initiatives?format=xml", "format"),
        ("/initiatives?bom=true", "bom"),
        ("/initiatives?cursor=not-a-cursor", "cursor"),
        ("/initiatives?q=%22unclosed", "q"),
        ("/initiatives?q=OR", "q"),
        ("/initiatives?q=%2A%2A%2A", "q"),
        ("/metrics?value_min=nan", "value_min"),
        ("/initiatives/healthcare?bogus=1", "bogus"),
        ("/search?q=", "q"),
        ("/search", "q"),
        ("/metrics/summary?group_by=colour", "group_by"),
    ],
)
def test_bad_parameters_are_422_problems_naming_the_parameter(api: Api, url: str, parameter: str) -> None:
    assert_problem(api.get(url), 422, parameter)


def test_a_cursor_from_another_sort_order_is_refused(api: Api) -> None:
    cursor = api.get("/initiatives", params={"limit": 1, "sort": "title"}).json()["next_cursor"]
    assert cursor
    assert_problem(api.get("/initiatives", params={"limit": 1, "cursor": cursor}), 422, "cursor")


def test_an_unexpected_failure_is_a_500_problem_without_internals(portal, seeded_engine) -> None:  # type: ignore[no-untyped-def]
    api = make_api(portal, seeded_engine, raise_app_exceptions=False)
    app: FastAPI = api.app

    def explode() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    app.add_api_route("/explode", explode)
    problem = assert_problem(api.get("/explode"), 500)
    assert "secret" not in api.get("/explode").text
    assert problem["type"] == "/problems/internal-error"
