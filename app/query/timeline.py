"""A timeline an analyst reads top to bottom: milestones grouped by month, quarter or year, in
date order; those whose dates are less precise than the period are listed apart.

A milestone belongs to a period when its whole interval lies in it: "in September 2024" in
2024-09 (and 2024-Q3, 2024), "by the end of 2024" in 2024 only, and by month or quarter it is
listed apart rather than put into a month it may not fall in. An open-ended date ("since July
2023") is placed by its start, as precise as its phrase: "since July 2023" is in 2023-07, "since
2003" is in 2003 and apart by month or quarter."""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from app.models.vocab import DatePrecision


class PeriodLength(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    name: str  # "2024-07", "2024-Q3", "2024"
    start: date
    end: date


def period_containing(day: date, length: PeriodLength) -> Period:
    """The month, quarter or year `day` falls in, with its own first and last days."""
    if length is PeriodLength.YEAR:
        return Period(f"{day.year}", date(day.year, 1, 1), date(day.year, 12, 31))
    if length is PeriodLength.QUARTER:
        quarter = (day.month - 1) // 3
        first, last = 3 * quarter + 1, 3 * quarter + 3
        return Period(
            f"{day.year}-Q{quarter + 1}", date(day.year, first, 1), date(day.year, last, monthrange(day.year, last)[1])
        )
    return Period(
        f"{day.year}-{day.month:02d}",
        date(day.year, day.month, 1),
        date(day.year, day.month, monthrange(day.year, day.month)[1]),
    )


def _precision_end(start: date, precision: str) -> date:
    """The last day of the unit of `precision` that starts a date phrase at `start` ("July 2023": July 31)."""
    if precision == DatePrecision.DAY:
        return start
    if precision == DatePrecision.MONTH:
        return period_containing(start, PeriodLength.MONTH).end
    if precision == DatePrecision.QUARTER:
        return period_containing(start, PeriodLength.QUARTER).end
    if precision == DatePrecision.SCHOOL_YEAR:
        return date(start.year + 1, start.month, start.day) - timedelta(days=1)
    return period_containing(start, PeriodLength.YEAR).end


def period_of(milestone: dict[str, Any], length: PeriodLength) -> Period | None:
    """The period holding the milestone's whole interval, or None when it is less precise than that."""
    start: date = milestone["start"]
    end: date = milestone["end"] if milestone["end"] is not None else _precision_end(start, milestone["precision"])
    period = period_containing(start, length)
    return period if end <= period.end else None


def group_by_period(milestones: Iterable[dict[str, Any]], length: PeriodLength) -> dict[str, Any]:
    """Milestones (sorted by start) -> {"periods": [{period, start, end, milestones}], "less_precise": [...]},
    keeping their order."""
    periods: dict[str, dict[str, Any]] = {}
    apart: list[dict[str, Any]] = []
    for milestone in milestones:
        period = period_of(milestone, length)
        if period is None:
            apart.append(milestone)
            continue
        group = periods.setdefault(
            period.name, {"period": period.name, "start": period.start, "end": period.end, "milestones": []}
        )
        group["milestones"].append(milestone)
    return {"periods": sorted(periods.values(), key=lambda p: p["start"]), "less_precise": apart}


# The columns a timeline row has before its milestone's, in CSV and NDJSON.
PERIOD_COLUMNS = ("period", "period_start", "period_end")


def timeline_row(milestone: dict[str, Any], length: PeriodLength) -> dict[str, Any]:
    """A flat milestone row (CSV, NDJSON) led by its period; empty period columns when it is less
    precise than the period."""
    period = period_of(milestone, length)
    lead: dict[str, Any] = {"period": None, "period_start": None, "period_end": None}
    if period is not None:
        lead = {"period": period.name, "period_start": period.start, "period_end": period.end}
    return {**lead, **milestone}
