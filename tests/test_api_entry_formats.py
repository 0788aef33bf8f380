"""An initiative's history and the changes answer CSV and NDJSON like every collection: every
entry (not one page), one flat column per field of the JSON entry, filters honoured, bad
combinations refused as problems; over the seed and the two fictional follow-ups, on both engines."""

import csv
import io
import json
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import assert_problem, walk

BTRI = "building-technology-research-institute"
UPDATE = "progress-update-fictional"
LISTS = [f"/initiatives/{BTRI}/history", "/changes", f"/documents/{UPDATE}/changes"]


def flat(entry: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON entry's non-null leaves under their CSV names."""
    row: dict[str, Any] = {}
    for name, value in entry.items():
        if isinstance(value, dict):
            row.update(flat(value, f"{prefix}{name}_"))
        elif value is not None:
            row[f"{prefix}{name}"] = value
    return row


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("url", LISTS)
def test_csv_holds_every_entry_with_the_values_of_the_json(followup_api: Api, url: str) -> None:
    entries = walk(followup_api, url, {"limit": 3})
    response = followup_api.get(url, params={"format": "csv", "limit": 1})  # limit pages JSON only
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    rows = csv_rows(response.text)
    assert len(rows) == len(entries) > 1
    for row, entry in zip(rows, entries, strict=True):
        leaves = flat(entry)
        assert {name for name, cell in row.items() if cell} == {name for name, v in leaves.items() if v != ""}
        for name, value in leaves.items():
            if isinstance(value, float):
                assert float(row[name]) == value, name
            else:
                assert row[name] == as_csv_cell(value), (name, row[name], value)


@pytest.mark.parametrize("url", LISTS)
def test_every_row_has_the_same_columns_whatever_its_kind(followup_api: Api, url: str) -> None:
    response = followup_api.get(url, params={"format": "csv"})
    header = response.text.splitlines()[0].split(",")
    assert {"kind", "effective_on", "document_slug", "source_quote", "milestone_slug", "series_slug"} <= set(header)
    assert len(header) == len(set(header))


@pytest.mark.parametrize("url", LISTS)
def test_ndjson_is_each_entry_flattened_one_a_line(followup_api: Api, url: str) -> None:
    entries = walk(followup_api, url, {"limit": 4})
    response = followup_api.get(url, headers={"Accept": "application/x-ndjson"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == len(entries)
    for line, entry in zip(lines, entries, strict=True):
        assert {k: v for k, v in line.items() if v is not None} == flat(entry)


def test_the_streams_keep_the_filters(followup_api: Api) -> None:
    statuses = followup_api.get(f"/initiatives/{BTRI}/history", params={"format": "csv", "kind": "status"})
    assert {row["kind"] for row in csv_rows(statuses.text)} == {"status"}
    early = followup_api.get(f"/initiatives/{BTRI}/history", params={"format": "csv", "as_of": "2025-01-01"})
    assert len(csv_rows(early.text)) < len(csv_rows(followup_api.get(f"/initiatives/{BTRI}/history?format=csv").text))
    added = followup_api.get("/changes", params={"format": "ndjson", "kind": "record_added", "sort": "published_on"})
    lines = [json.loads(line) for line in added.text.splitlines()]
    assert lines and {line["kind"] for line in lines} == {"record_added"}
    assert [{k: v for k, v in line.items() if v is not None} for line in lines] == [
        flat(c) for c in walk(followup_api, "/changes", {"kind": "record_added", "sort": "published_on"})
    ]


def test_a_csv_from_a_cursor_holds_the_entries_from_there_on(followup_api: Api) -> None:
    first = followup_api.get("/changes", params={"limit": 5}).json()
    rest = csv_rows(followup_api.get("/changes", params={"format": "csv", "cursor": first["next_cursor"]}).text)
    assert len(rest) == len(walk(followup_api, "/changes", {"limit": 50})) - 5


def test_csv_with_bom_opens_in_spreadsheets(followup_api: Api) -> None:
    response = followup_api.get("/changes", params={"format": "csv", "bom": "true"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content[3:].split(b"\r\n", 1)[0].split(b",")
    assert {b"kind", b"document_slug", b"recorded_by"} <= set(header)


@pytest.mark.parametrize("url", LISTS)
def test_the_streams_have_an_etag_and_answer_304_to_it(followup_api: Api, url: str) -> None:
    response = followup_api.get(url, params={"format": "csv"})
    etag = response.headers["etag"]
    assert etag != followup_api.get(url).headers["etag"]  # JSON is another representation
    assert followup_api.get(url, params={"format": "csv"}, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [("format=xml", "format"), ("format=ndjson&bom=true", "bom"), ("bom=maybe", "bom")],
)
def test_bad_format_parameters_are_422_problems(followup_api: Api, url: str, query: str, parameter: str) -> None:
    assert_problem(followup_api.get(f"{url}?{query}"), 422, parameter)


@pytest.mark.parametrize(
    "url", ["/initiatives/no-such-initiative/history?format=csv", "/documents/no-such-document/changes?format=ndjson"]
)
def test_an_unknown_record_is_a_404_problem_not_an_empty_stream(followup_api: Api, url: str) -> None:
    assert_problem(followup_api.get(url), 404)


def test_a_bad_cursor_is_a_422_problem_not_a_broken_stream(followup_api: Api) -> None:
    assert_problem(followup_api.get("/changes?format=csv&cursor=not-a-cursor"), 422, "cursor")
