"""Imprecise dates are filtered exactly, by the interval they stand for."""

from datetime import date

from tests.conftest import Api
from tests.helpers import walk


def _by_end_of_2024(api: Api) -> dict:
    milestones = walk(api, "/milestones", {"limit": 500})
    return next(m for m in milestones if m["edtf"] == "../2024-12-31")


def test_by_the_end_of_2024_is_kept_by_date_to_year_end_and_dropped_by_november(api: Api) -> None:
    target = _by_end_of_2024(api)
    assert target["end"] == "2024-12-31" and target["qualifier"] == "by"
    kept = {m["slug"] for m in walk(api, "/milestones", {"date_to": "2024-12-31", "limit": 500})}
    dropped = {m["slug"] for m in walk(api, "/milestones", {"date_to": "2024-11-30", "limit": 500})}
    assert target["slug"] in kept and target["slug"] not in dropped


def _ids(items: list[dict]) -> list[int]:
    return [item["id"] for item in items]


def test_date_from_keeps_exactly_the_intervals_starting_on_or_after(api: Api) -> None:
    everything = walk(api, "/milestones", {"limit": 500})
    kept = walk(api, "/milestones", {"date_from": "2024-07-12", "limit": 500})
    assert _ids(kept) == _ids([m for m in everything if m["start"] >= "2024-07-12"])
    assert 0 < len(kept) < len(everything)


def test_date_to_excludes_open_ended_and_later_intervals(api: Api) -> None:
    everything = walk(api, "/milestones", {"limit": 500})
    kept = walk(api, "/milestones", {"date_to": "2024-07-12", "limit": 500})
    assert _ids(kept) == _ids([m for m in everything if m["end"] is not None and m["end"] <= "2024-07-12"])
    assert kept and any(m["end"] is None for m in everything)  # there are open-ended ones to exclude


def test_third_quarter_of_2024_is_a_quarter_interval(api: Api) -> None:
    quarters = walk(api, "/milestones", {"precision": "quarter", "limit": 500})
    q3 = [m for m in quarters if m["edtf"] == "2024-35"]
    assert q3 and all((m["start"], m["end"]) == ("2024-07-01", "2024-09-30") for m in q3)


def test_due_to_uses_the_latest_possible_date_of_the_deadline(api: Api) -> None:
    everything = walk(api, "/initiatives", {"limit": 500})
    due = {day: walk(api, "/initiatives", {"due_to": day, "limit": 500}) for day in ("2024-12-31", "2024-11-30")}
    for day, kept in due.items():
        assert _ids(kept) == _ids([i for i in everything if i["due"]["end"] is not None and i["due"]["end"] <= day])
    # "By the end of 2024" is due by 2024-12-31, not by 2024-11-30.
    assert 0 < len(due["2024-11-30"]) < len(due["2024-12-31"])


def test_due_state_as_of_a_date(api: Api) -> None:
    def states(as_of: str) -> dict[str, str]:
        return {i["slug"]: i["due_state"] for i in walk(api, "/initiatives", {"as_of": as_of, "limit": 500})}

    before, after = states("2024-07-12"), states("2025-06-30")
    with_target = [s for s, state in before.items() if state != "no_target"]
    assert with_target
    assert all(before[s] in {"due_window", "not_yet_due", "completed"} for s in with_target)
    # A deadline by the end of 2024 not completed is overdue in mid-2025.
    assert any(after[s] == "overdue" for s in with_target)
    overdue = walk(api, "/initiatives", {"as_of": "2025-06-30", "due_state": "overdue", "limit": 500})
    assert {i["slug"] for i in overdue} == {s for s, state in after.items() if state == "overdue"}


def test_due_state_defaults_to_today(api: Api) -> None:
    today = date.today().isoformat()
    default = walk(api, "/initiatives", {"limit": 500})
    explicit = walk(api, "/initiatives", {"as_of": today, "limit": 500})
    assert [i["due_state"] for i in default] == [i["due_state"] for i in explicit]
