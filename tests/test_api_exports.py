"""Every view is exportable: /timeline and /metrics/summary answer CSV and NDJSON as the
collections do, and every CSV links (`Link: <...>; rel="describedby"`) a Frictionless Table
Schema of its columns, so that typed readers get integers, dates and codes instead of guesses."""

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema, validate

from app.api.table_schema import SCHEMA_NAMES
from app.query.resources import RESOURCES
from tests.conftest import Api
from tests.helpers import assert_problem, walk

CSV_VIEWS = [
    *(("/metrics/series" if name == "metric_series" else f"/{name}", {}) for name in RESOURCES),
    ("/timeline", {"period": "quarter"}),
    ("/metrics/summary", {"group_by": "area,unit"}),
]


def described_by(response: Any) -> str:
    """The path of the Table Schema a CSV response links."""
    link = response.links["describedby"]
    assert link["type"] == "application/json", link
    url = link["url"]
    assert url.startswith("http://testserver/schemas/")
    return url.removeprefix("http://testserver")


def typed_rows(tmp_path: Path, text: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The CSV read by frictionless against its Table Schema, after validating it."""
    (tmp_path / "view.csv").write_text(text, encoding="utf-8")
    resource = Resource(path="view.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    report = validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with Resource(path="view.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(schema)) as reader:
        return [row.to_dict() for row in reader.row_stream]


@pytest.mark.parametrize(("path", "params"), CSV_VIEWS)
def test_every_csv_links_a_table_schema_that_types_its_columns(
    api: Api, tmp_path: Path, path: str, params: dict[str, str]
) -> None:
    response = api.get(path, params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    schema_response = api.get(described_by(response))
    assert schema_response.status_code == 200
    assert schema_response.headers["content-type"] == "application/json"
    schema = schema_response.json()
    header = next(csv.reader(io.StringIO(response.text)))
    assert [field["name"] for field in schema["fields"]] == header
    rows = typed_rows(tmp_path, response.text, schema)
    assert rows
    for field in schema["fields"]:
        if field["name"] == "id" or field["name"].endswith("_id"):
            assert field["type"] == "integer"
            assert all(row[field["name"]] is None or type(row[field["name"]]) is int for row in rows)


def test_an_id_column_with_gaps_reads_as_integers_not_floats(api: Api, tmp_path: Path) -> None:
    """The complaint that started this: a figure's initiative is often absent, and a guessing reader
    made the column floats. Typed by its schema it is whole numbers, with empty cells as None."""
    response = api.get("/metrics", params={"format": "csv"})
    rows = typed_rows(tmp_path, response.text, api.get(described_by(response)).json())
    ids = [row["initiative_id"] for row in rows]
    assert None in ids and any(type(value) is int for value in ids)
    assert [row["id"] for row in rows] == [m["id"] for m in walk(api, "/metrics", {"limit": 500})]
    assert all(type(row["as_of_start"]).__name__ == "date" for row in rows)


def test_each_table_schema_is_served_and_an_unknown_one_is_a_problem(api: Api) -> None:
    for name in SCHEMA_NAMES:
        schema = api.get(f"/schemas/{name}.json").json()
        assert schema["fields"] and schema["missingValues"] == [""]
    assert_problem(api.get("/schemas/nothing.json"), 404)


def test_a_coded_column_lists_its_values_in_its_schema(api: Api) -> None:
    fields = {field["name"]: field for field in api.get("/schemas/initiatives.json").json()["fields"]}
    assert "launched" in fields["status"]["constraints"]["enum"]
    assert "overdue" in fields["due_state"]["constraints"]["enum"]
    units = {field["name"]: field for field in api.get("/schemas/metrics.json").json()["fields"]}
    assert units["unit_dimension"]["constraints"]["enum"] == ["count", "flow", "ratio", "duration"]


def _timeline_json(api: Api, **params: str) -> list[tuple[str | None, str]]:
    body = api.get("/timeline", params={"limit": 500, **params}).json()
    grouped = [(p["period"], m["slug"]) for p in body["periods"] for m in p["milestones"]]
    return grouped + [(None, m["slug"]) for m in body["less_precise"]]


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_the_timeline_as_csv_and_ndjson_is_its_json_a_row_per_milestone(api: Api, period: str) -> None:
    params = {"period": period, "kind": "target"}
    expected = sorted(_timeline_json(api, **params), key=lambda row: row[1])
    rows = list(csv.DictReader(io.StringIO(api.get("/timeline", params={**params, "format": "csv"}).text)))
    assert sorted((((row["period"] or None), row["slug"]) for row in rows), key=lambda row: row[1]) == expected
    starts = [row["start"] for row in rows]
    assert starts == sorted(starts)
    lines = api.get("/timeline", params={**params, "format": "ndjson"}).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(((r["period"], r["slug"]) for r in records), key=lambda row: row[1]) == expected
    assert all(r["period_start"] <= r["start"] for r in records if r["period"])


def test_a_timeline_export_honours_a_given_limit_and_refuses_a_cursor(api: Api) -> None:
    everything = list(csv.DictReader(io.StringIO(api.get("/timeline", params={"format": "csv"}).text)))
    assert len(everything) == len(walk(api, "/milestones", {"limit": 500}))
    three = list(csv.DictReader(io.StringIO(api.get("/timeline", params={"format": "csv", "limit": 3}).text)))
    assert three == everything[:3]
    cursor = api.get("/timeline", params={"limit": 1}).json()["next_cursor"]
    assert_problem(api.get("/timeline", params={"format": "ndjson", "cursor": cursor}), 422, "cursor")


def test_the_summary_as_csv_and_ndjson_has_every_group(api: Api) -> None:
    params = {"group_by": "area,unit"}
    groups = api.get("/metrics/summary", params=params).json()["groups"]
    rows = list(csv.DictReader(io.StringIO(api.get("/metrics/summary", params={**params, "format": "csv"}).text)))
    assert [(r["area"], r["unit"], r["unit_label"], int(r["count"])) for r in rows] == [
        (g["area"], g["unit"], g["unit_label"], g["count"]) for g in groups
    ]
    assert all(row["year"] == "" for row in rows)  # not grouped by year: the column is there, empty
    lines = api.get("/metrics/summary", params=params, headers={"Accept": "application/x-ndjson"}).text.splitlines()
    assert [{k: v for k, v in json.loads(line).items() if k != "year"} for line in lines] == groups


def test_bom_is_for_csv_only_on_the_analysis_views_too(api: Api) -> None:
    assert_problem(api.get("/metrics/summary", params={"bom": "true"}), 422, "bom")
    assert api.get("/timeline", params={"bom": "true", "format": "csv"}).text.startswith("\ufeff")
