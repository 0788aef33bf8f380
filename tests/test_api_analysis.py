"""The metrics summary and the timeline."""

from tests.conftest import Api
from tests.helpers import walk


def test_summary_by_unit_matches_the_metrics(api: Api) -> None:
    metrics = walk(api, "/metrics", {"limit": 500})
    body = api.get("/metrics/summary", params={"group_by": "unit"}).json()
    assert sum(g["count"] for g in body["groups"]) == len(metrics)
    for group in body["groups"]:
        values = [m["value"] for m in metrics if m["unit"] == group["unit"]]
        assert (group["count"], group["min"], group["max"]) == (
            len(values),
            min(values),
            max(values),
        )
        assert abs(group["sum"] - sum(values)) < 1e-6


def test_summary_groups_combine(api: Api) -> None:
    body = api.get("/metrics/summary", params={"group_by": "area,unit,year"}).json()
    assert body["group_by"] == ["area", "unit", "year"]
    assert all(isinstance(g["year"], int) and g["area"] and g["unit"] for g in body["groups"])


def test_summary_refuses_to_add_up_different_units(api: Api) -> None:
    response = api.get("/metrics/summary", params={"group_by": "area"})
    assert response.status_code == 422
    assert "unit" in response.json()["detail"]
    one_unit = api.get("/metrics/summary", params={"group_by": "area", "unit": "persons"})
    assert one_unit.status_code == 200
    assert {g["unit"] for g in one_unit.json()["groups"]} == {"persons"}


def test_timeline_reads_in_date_order_and_holds_every_milestone(api: Api) -> None:
    periods = api.get("/timeline").json()["periods"]
    starts = [p["start"] for p in periods]
    assert starts == sorted(starts)
    slugs = [m["slug"] for p in periods for m in p["milestones"]]
    assert sorted(slugs) == sorted(m["slug"] for m in walk(api, "/milestones", {"limit": 500}))
    names = {p["period"] for p in periods}
    assert "2024-Q3" in names or "2024-07" in names


def test_timeline_takes_the_milestone_filters(api: Api) -> None:
    periods = api.get("/timeline", params={"kind": "target", "date_to": "2024-12-31"}).json()["periods"]
    milestones = [m for p in periods for m in p["milestones"]]
    expected = [
        m
        for m in walk(api, "/milestones", {"limit": 500})
        if m["kind"] == "target" and m["end"] is not None and m["end"] <= "2024-12-31"
    ]
    assert expected
    assert sorted(m["slug"] for m in milestones) == sorted(m["slug"] for m in expected)
