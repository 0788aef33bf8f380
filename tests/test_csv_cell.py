"""The API's CSV and the Data Package export write every kind of value in the same cell."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from app.api.formats import csv_lines
from app.export.datapackage import export_datapackage, write_csv
from app.models.vocab import MetricUnit
from tests.conftest import Api

# (value, the cell both write for it)
CELLS: list[tuple[Any, str]] = [
    (None, ""),
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (65000, "65000"),
    ("plain text", "plain text"),
    ('a "quoted", multi-line\r\ntext', 'a "quoted", multi-line\r\ntext'),
    (MetricUnit.VEHICLES, "vehicles"),
    (date(2024, 7, 12), "2024-07-12"),
    (datetime(2024, 7, 12, 9, 30), "2024-07-12T09:30:00"),
    (datetime(2024, 7, 12, 9, 30, tzinfo=UTC), "2024-07-12T09:30:00+00:00"),
    (65000.0, "65000"),
    (1.7, "1.7"),
    (1e-7, "0.0000001"),
    (1e20, "100000000000000000000"),
    (float("nan"), "NaN"),
    (float("-inf"), "-INF"),
    (Decimal("40.0000"), "40"),
    (Decimal("1.50"), "1.5"),
    (Decimal("1E+3"), "1000"),
    (Decimal("-0.00"), "0"),
    (["hksar", "guangdong"], '["hksar","guangdong"]'),
    ({"slug": "nansha", "since": date(2024, 7, 1)}, '{"slug":"nansha","since":"2024-07-01"}'),
]


def _api_cell(value: Any) -> str:
    text = "".join(csv_lines(["value"], [{"value": value}]))
    [header, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert header == ["value"]
    return row[0]


def _export_cell(value: Any, folder: Path) -> str:
    path = folder / "values.csv"
    write_csv(path, ["value"], iter([(value,)]))
    with path.open(encoding="utf-8", newline="") as file:
        [header, row] = list(csv.reader(file))
    assert header == ["value"]
    return row[0]


@pytest.mark.parametrize(("value", "cell"), CELLS, ids=[f"{type(v).__name__}-{i}" for i, (v, _) in enumerate(CELLS)])
def test_the_api_and_the_export_write_each_kind_of_value_in_the_same_cell(
    value: Any, cell: str, tmp_path: Path
) -> None:
    assert _api_cell(value) == _export_cell(value, tmp_path) == cell


def test_a_metric_reads_the_same_in_the_api_csv_and_the_export(api: Api, seeded_engine: Engine, tmp_path: Path) -> None:
    export_datapackage(seeded_engine, tmp_path)
    with (tmp_path / "metric.csv").open(encoding="utf-8", newline="") as file:
        exported = {row["slug"]: row for row in csv.DictReader(file)}
    response = api.get("/metrics", params={"format": "csv"})
    served = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(served) == len(exported) > 0
    # (the API's column, the export's column)
    columns = [(c, c) for c in ("value", "previous_value", "unit", "as_of_start", "as_of_end")]
    columns += [("source_start", "quote_start"), ("source_quote", "quote")]
    assert {row["slug"]: [row[api_name] for api_name, _ in columns] for row in served} == {
        slug: [row[export_name] for _, export_name in columns] for slug, row in exported.items()
    }
    assert any(row["previous_value"] for row in served) and any(not row["previous_value"] for row in served)
