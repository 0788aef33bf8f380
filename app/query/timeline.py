"""A timeline an analyst reads top to bottom: milestones grouped by period, in date order."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from app.models.vocab import DatePrecision


def period_of(start: date, end: date | None, precision: str) -> str:
    """The period a milestone belongs to, as coarse as its own precision."""
    if precision == DatePrecision.YEAR:
        return f"{start.year}"
    if precision == DatePrecision.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if precision == DatePrecision.SCHOOL_YEAR and end is not None:
        return f"{start.year}/{end.year % 100:02d} school year"
    return f"{start.year}-{start.month:02d}"


def group_by_period(milestones: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Milestones (sorted by start) -> [{period, start, milestones}], keeping that order."""
    periods: dict[str, dict[str, Any]] = {}
    for milestone in milestones:
        name = period_of(milestone["start"], milestone["end"], milestone["precision"])
        period = periods.setdefault(name, {"period": name, "start": milestone["start"], "milestones": []})
        period["milestones"].append(milestone)
    return sorted(periods.values(), key=lambda p: (p["start"], p["period"]))
