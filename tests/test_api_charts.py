"""SVG pictures: /timeline.svg and /metrics/series/{key}.svg, drawn by matplotlib. Each is parsed
as XML and its marks counted against the data; titles, units and sources are on the picture."""

import xml.etree.ElementTree as ET
from typing import Any

from app.main import create_app
from app.settings import Settings
from tests.conftest import Api
from tests.helpers import assert_problem, walk

SVG = "{http://www.w3.org/2000/svg}"
CARS = "northbound-travel-participating-cars"


def parse(response: Any) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    return root


def marks(root: ET.Element, prefix: str) -> list[str]:
    """The ids of the marks whose id starts with `prefix`, in drawing order."""
    return [
        g.attrib["id"].removeprefix(prefix) for g in root.iter(f"{SVG}g") if g.attrib.get("id", "").startswith(prefix)
    ]


def texts(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_the_timeline_picture_has_one_bar_per_milestone_in_date_order(api: Api) -> None:
    root = parse(api.get("/timeline.svg", params={"limit": 100}))
    milestones = walk(api, "/milestones", {"sort": "start", "limit": 500})
    assert marks(root, "milestone-") == [m["slug"] for m in milestones]
    words = texts(root)
    assert "what happened and what is due" in words
    assert "Source: 24th Plenary of Hong Kong/Guangdong Co-operation Joint Conference" in words


def test_the_timeline_picture_takes_the_timeline_filters_and_pages(api: Api) -> None:
    params = {"kind": "target", "date_to": "2024-12-31"}
    root = parse(api.get("/timeline.svg", params={**params, "limit": 100}))
    expected = walk(api, "/milestones", {**params, "sort": "start", "limit": 500})
    assert expected and marks(root, "milestone-") == [m["slug"] for m in expected]
    first = api.get("/timeline.svg", params={**params, "limit": 2})
    assert marks(parse(first), "milestone-") == [m["slug"] for m in expected[:2]]
    assert 'rel="next"' in first.headers["link"]
    assert "the first 2; more on the next page" in texts(parse(first))


def test_a_timeline_picture_of_nothing_says_so(api: Api) -> None:
    root = parse(api.get("/timeline.svg", params={"q": "zeppelin"}))
    assert marks(root, "milestone-") == []
    assert "No milestone matches these filters." in texts(root)


def test_the_series_picture_marks_each_observation_with_title_unit_and_sources(followup_api: Api) -> None:
    series = followup_api.get(f"/metrics/series/{CARS}").json()
    assert len(series["observations"]) == 3
    root = parse(followup_api.get(f"/metrics/series/{CARS}.svg"))
    assert marks(root, "observation-") == [o["slug"] for o in series["observations"]]
    assert len(marks(root, "series-line")) == 1
    words = texts(root)
    assert series["label"] in words and series["unit_label"] in words
    assert "over 65 000" in words  # each value as the text words it
    for title in {o["source"]["document_title"] for o in series["observations"]}:
        assert title in words
    by_id = parse(followup_api.get(f"/metrics/series/{series['id']}.svg"))
    assert marks(by_id, "observation-") == marks(root, "observation-")


def test_picture_errors_are_problems(api: Api) -> None:
    assert_problem(api.get("/metrics/series/no-such-series.svg"), 404)
    assert_problem(api.get("/timeline.svg", params={"kind": "rumour"}), 422, "kind")
    assert_problem(api.get("/timeline.svg", params={"format": "csv"}), 422)
    assert_problem(api.get("/timeline.svg", params={"limit": 101}), 422, "limit")  # a picture too long to read


def test_the_pictures_are_documented_as_svg_with_problems_for_errors() -> None:
    document = create_app(Settings(database_url="sqlite://")).openapi()
    for path in ("/timeline.svg", "/metrics/series/{key}.svg"):
        responses = document["paths"][path]["get"]["responses"]
        assert list(responses["200"]["content"]) == ["image/svg+xml"]
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (path, status)
