"""Units in words: every figure carries its unit's label and dimension (JSON, CSV, NDJSON), from
the one vocabulary docs/VOCABULARY.md documents; figures embedded in a record keep their quotes."""

import csv
import io
import json
import re

from app.models.vocab import UNIT_LABELS, MetricUnit, UnitDimension
from app.settings import PROJECT_ROOT
from tests.conftest import Api
from tests.helpers import walk


def test_every_unit_has_a_label_and_a_dimension() -> None:
    assert set(UNIT_LABELS) == set(MetricUnit)
    assert UNIT_LABELS[MetricUnit.VEHICLES_PER_DAY] == ("vehicles per day", UnitDimension.FLOW)


def test_the_vocabulary_document_lists_each_units_label_and_dimension() -> None:
    text = (PROJECT_ROOT / "docs" / "VOCABULARY.md").read_text(encoding="utf-8")
    rows = dict(
        (unit, (label, dimension))
        for unit, label, dimension in re.findall(r"^\| `(\w+)` \| ([^|]+?) \| (\w+) \|", text, flags=re.MULTILINE)
        if unit in set(MetricUnit)
    )
    assert rows == {unit.value: (label, dimension.value) for unit, (label, dimension) in UNIT_LABELS.items()}


def test_a_metric_names_its_unit_in_words_in_json_csv_and_ndjson(api: Api) -> None:
    [flow] = [m for m in walk(api, "/metrics", {"unit": "vehicles_per_day"})]
    assert (flow["unit"], flow["unit_label"], flow["unit_dimension"]) == (
        "vehicles_per_day",
        "vehicles per day",
        "flow",
    )
    assert api.get(f"/metrics/{flow['slug']}").json()["unit_label"] == "vehicles per day"
    rows = list(csv.DictReader(io.StringIO(api.get("/metrics", params={"format": "csv"}).text)))
    assert rows and all(row["unit_label"] == UNIT_LABELS[MetricUnit(row["unit"])][0] for row in rows)
    assert all(row["unit_dimension"] == UNIT_LABELS[MetricUnit(row["unit"])][1] for row in rows)
    lines = api.get("/metrics", params={"format": "ndjson", "unit": "percent"}).text.splitlines()
    assert lines and all(json.loads(line)["unit_dimension"] == "ratio" for line in lines)


def test_a_series_and_its_observations_name_their_unit_in_words(api: Api) -> None:
    series = walk(api, "/metrics/series", {"unit": "years"})
    assert series and all((s["unit_label"], s["unit_dimension"]) == ("years", "duration") for s in series)
    detail = api.get(f"/metrics/series/{series[0]['slug']}").json()
    assert all(o["unit_label"] == "years" for o in detail["observations"])


def test_figures_embedded_in_an_initiative_or_an_area_keep_their_quotes(api: Api) -> None:
    text = api.get("/documents/24th-plenary-press-release/text").text
    initiative = api.get("/initiatives/northbound-travel-for-hong-kong-vehicles").json()
    listed = api.get("/initiatives", params={"include": "metrics", "limit": 500}).json()["items"]
    area = api.get("/areas/transport-and-logistics").json()
    embedded = initiative["metrics"] + [m for i in listed for m in i["metrics"]] + area["metrics"]
    assert initiative["metrics"] and area["metrics"]
    for metric in embedded:
        source = metric["source"]
        assert text[source["start"] : source["end"]] == source["quote"], metric["slug"]
        assert source["document"] == "24th-plenary-press-release"
        assert metric["unit_label"] == UNIT_LABELS[MetricUnit(metric["unit"])][0]
