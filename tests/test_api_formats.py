"""CSV (RFC 4180) and NDJSON carry the whole filtered set, or `limit` rows of it when asked;
JSON pages carry a part of it."""

import csv
import io

import orjson
import pytest

from tests.conftest import Api


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "collection", ["initiatives", "metrics", "metrics/series", "milestones", "agreements", "officials"]
)
def test_csv_has_one_row_per_record_of_the_filtered_set(api: Api, collection: str) -> None:
    total = api.get(f"/{collection}", params={"count": "exact", "limit": 1}).json()["total"]
    response = api.get(f"/{collection}", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = _csv_rows(response.text)
    assert len(rows) == total > 1
    assert response.text.endswith("\r\n")


def test_csv_columns_are_flat_and_values_match_json(api: Api) -> None:
    rows = _csv_rows(api.get("/metrics", params={"format": "csv"}).text)
    items = api.get("/metrics", params={"limit": 500}).json()["items"]
    assert {
        "area_slug",
        "area_name",
        "unit",
        "qualifier",
        "value",
        "as_of_start",
        "as_of_end",
        "source_quote",
    } <= rows[0].keys()
    by_slug = {item["slug"]: item for item in items}
    for row in rows:
        item = by_slug[row["slug"]]
        assert float(row["value"]) == item["value"]
        assert row["source_quote"] == item["source"]["quote"]
        assert row["area_slug"] == item["area"]["slug"]


def test_csv_is_negotiated_with_accept_and_filtered(api: Api) -> None:
    response = api.get("/metrics", params={"area": "healthcare"}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = _csv_rows(response.text)
    assert rows and {row["area_slug"] for row in rows} == {"healthcare"}


def test_csv_with_bom_opens_in_spreadsheets(api: Api) -> None:
    response = api.get("/metrics", params={"format": "csv", "bom": "true"})
    assert response.content.startswith("\ufeff".encode())
    plain = api.get("/metrics", params={"format": "csv"})
    assert not plain.content.startswith("\ufeff".encode())


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_an_export_with_a_limit_is_that_page_with_the_next_in_the_link_header(api: Api, fmt: str) -> None:
    everything = [m["slug"] for m in api.get("/metrics", params={"limit": 500, "sort": "value"}).json()["items"]]
    slugs: list[str] = []
    url: str | None = f"/metrics?format={fmt}&limit=7&sort=value"
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.text
        if fmt == "csv":
            page = [row["slug"] for row in _csv_rows(response.text)]
        else:
            page = [orjson.loads(line)["slug"] for line in response.content.splitlines()]
        assert 0 < len(page) <= 7
        slugs += page
        links = response.links  # a CSV also links its Table Schema (rel="describedby")
        url = links["next"]["url"].removeprefix("http://testserver") if "next" in links else None
        assert (url is None) == (len(slugs) == len(everything))
    assert slugs == everything


def test_csv_of_an_empty_set_still_has_its_header(api: Api) -> None:
    response = api.get("/metrics", params={"format": "csv", "area": "healthcare", "value_min": 1e15})
    assert response.status_code == 200
    assert response.text.startswith("id,slug,label,value")
    assert _csv_rows(response.text) == []


def test_ndjson_is_one_json_object_per_line(api: Api) -> None:
    total = api.get("/milestones", params={"count": "exact"}).json()["total"]
    response = api.get("/milestones", params={"format": "ndjson"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.content.splitlines()
    assert len(lines) == total
    assert all("slug" in orjson.loads(line) for line in lines)


def test_a_bad_parameter_in_csv_is_still_a_problem_not_a_broken_file(api: Api) -> None:
    response = api.get("/metrics", params={"format": "csv", "q": '"unclosed'})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
