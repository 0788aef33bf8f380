"""Resolve a date phrase of a source text ("later this year") to an interval, precision, EDTF."""

from __future__ import annotations

import calendar
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from app.models.vocab import DatePrecision, DateQualifier

# The edtf grammar trips pyparsing's diagnostic warnings on import; they say nothing about
# our use of it, so keep them out of every caller's warning summary.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from edtf import parse_edtf

__all__ = ["ResolvedDate", "UnknownDatePhrase", "is_edtf", "resolve_date", "resolve_edtf"]


@dataclass(frozen=True)
class ResolvedDate:
    """A date phrase as an interval: the earliest and latest dates it can mean."""

    phrase: str
    start: date | None  # earliest possible date (None only if unbounded)
    end: date | None  # latest possible date (None = open-ended, e.g. "since July 2023")
    precision: DatePrecision
    qualifier: DateQualifier
    edtf: str  # ISO 8601-2 / EDTF


class UnknownDatePhrase(ValueError):
    """The phrase matches none of the rules below."""


@dataclass(frozen=True)
class _Period:
    """The bare period a phrase names ("July 2023"), before a prefix ("since") qualifies it."""

    start: date
    end: date
    precision: DatePrecision
    edtf: str  # the whole period
    edtf_start: str  # the period written as the lower end of an interval
    edtf_end: str  # ... and as the upper end


# Coarser precisions sort later: a range keeps the coarser of its two ends.
_PRECISION_ORDER = list(DatePrecision)

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_RELATIVE_YEARS = {"last year": -1, "this year": 0, "next year": 1}

_MONTH = r"(?P<month>" + "|".join(_MONTHS) + r")"
_YEAR = r"(?P<year>\d{4}|this year|last year|next year)"
# A phrase that fixes its own year; one without ("October", "the third quarter") takes the
# publication year, or, as one end of a range, the year of the other end.
_OWN_YEAR = re.compile(r"\b(?:\d{4}|this year|last year|next year|today)\b", re.IGNORECASE)


def _year(token: str | None, published_on: date) -> int:
    """A four-digit year or a year relative to the publication date; none means this year."""
    if token is None:
        return published_on.year
    token = token.lower()
    if token in _RELATIVE_YEARS:
        return published_on.year + _RELATIVE_YEARS[token]
    return int(token)


def _day(year: int, month: int, day: int, phrase: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:  # "February 30": a typo in the source, not a date
        raise UnknownDatePhrase(f"not a calendar date: {phrase!r}") from exc


def _day_period(d: date) -> _Period:
    iso = d.isoformat()
    return _Period(d, d, DatePrecision.DAY, iso, iso, iso)


def _month_period(year: int, month: int) -> _Period:
    last = calendar.monthrange(year, month)[1]
    iso = f"{year:04d}-{month:02d}"
    start, end = date(year, month, 1), date(year, month, last)
    return _Period(start, end, DatePrecision.MONTH, iso, iso, iso)


def _year_period(first: int, last: int) -> _Period:
    lower, upper = f"{first:04d}", f"{last:04d}"
    edtf = lower if first == last else f"{lower}/{upper}"
    return _Period(date(first, 1, 1), date(last, 12, 31), DatePrecision.YEAR, edtf, lower, upper)


def _quarter_period(year: int, quarter: int) -> _Period:
    first_month, last_month = 3 * quarter - 2, 3 * quarter
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    # EDTF numbers quarters 33..36; as interval ends we write months, because the edtf
    # package (and most readers) cannot parse a quarter inside an interval.
    return _Period(
        start,
        end,
        DatePrecision.QUARTER,
        f"{year:04d}-{32 + quarter}",
        f"{year:04d}-{first_month:02d}",
        f"{year:04d}-{last_month:02d}",
    )


def _school_year_period(first: int) -> _Period:
    # Hong Kong's school year runs from September to August.
    lower, upper = f"{first:04d}-09", f"{first + 1:04d}-08"
    return _Period(
        date(first, 9, 1),
        date(first + 1, 8, 31),
        DatePrecision.SCHOOL_YEAR,
        f"{lower}/{upper}",
        lower,
        upper,
    )


# --- bare periods ------------------------------------------------------------------------
# Each rule: a regular expression matched against the whole (prefix-less) phrase, and a
# function from its match and the publication date to the period it names.

_PeriodRule = tuple[re.Pattern[str], Callable[[re.Match[str], date, str], _Period]]


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _today(m: re.Match[str], pub: date, phrase: str) -> _Period:
    if m["month"]:
        stated = _day(pub.year, _MONTHS[m["month"].lower()], int(m["day"]), phrase)
        if stated != pub:  # "today (July 13)" in a text of July 12 is a contradiction
            raise UnknownDatePhrase(f"{phrase!r} contradicts the publication date {pub}")
    return _day_period(pub)


def _day_range(m: re.Match[str], pub: date, phrase: str) -> _Period:
    year, month = _year(m["year"], pub), _MONTHS[m["month"].lower()]
    first = _day(year, month, int(m["d1"]), phrase)
    last = _day(year, month, int(m["d2"]), phrase)
    if last < first:
        raise UnknownDatePhrase(f"range runs backwards: {phrase!r}")
    return _Period(
        first,
        last,
        DatePrecision.DAY,
        f"{first.isoformat()}/{last.isoformat()}",
        first.isoformat(),
        last.isoformat(),
    )


def _single_day(m: re.Match[str], pub: date, phrase: str) -> _Period:
    month = _MONTHS[m["month"].lower()]
    return _day_period(_day(_year(m["year"], pub), month, int(m["day"]), phrase))


def _month(m: re.Match[str], pub: date, phrase: str) -> _Period:
    return _month_period(_year(m["year"], pub), _MONTHS[m["month"].lower()])


def _quarter(m: re.Match[str], pub: date, phrase: str) -> _Period:
    return _quarter_period(_year(m["year"], pub), _QUARTERS[m["q"].lower()])


def _school_year(m: re.Match[str], pub: date, phrase: str) -> _Period:
    first = int(m["y1"])
    if (first + 1) % 100 != int(m["y2"]):  # "2022/24" is no school year
        raise UnknownDatePhrase(f"not a school year: {phrase!r}")
    return _school_year_period(first)


def _year_pair(m: re.Match[str], pub: date, phrase: str) -> _Period:
    first, last = int(m["y1"]), int(m["y2"])
    if last < first:
        raise UnknownDatePhrase(f"range runs backwards: {phrase!r}")
    return _year_period(first, last)


def _single_year(m: re.Match[str], pub: date, phrase: str) -> _Period:
    year = _year(m["year"], pub)
    return _year_period(year, year)


_PERIOD_RULES: list[_PeriodRule] = [
    (_rule(rf"today(?: \({_MONTH} (?P<day>\d{{1,2}})\))?"), _today),
    (_rule(rf"{_MONTH} (?P<d1>\d{{1,2}}) to (?P<d2>\d{{1,2}})(?:,? {_YEAR})?"), _day_range),
    (_rule(rf"{_MONTH} (?P<day>\d{{1,2}})(?:,? {_YEAR})?"), _single_day),
    (_rule(rf"{_MONTH}(?: {_YEAR})?"), _month),
    (_rule(r"(?:the )?(?P<q>first|second|third|fourth) quarter(?: of " + _YEAR + ")?"), _quarter),
    (_rule(r"(?:the )?(?P<y1>\d{4})/(?P<y2>\d{2}) school year"), _school_year),
    (_rule(r"(?P<y1>\d{4}) and (?P<y2>\d{4})"), _year_pair),
    (_rule(_YEAR), _single_year),
]


def _period(text: str, pub: date, phrase: str) -> _Period:
    for pattern, build in _PERIOD_RULES:
        m = pattern.fullmatch(text.strip())
        if m:
            return build(m, pub, phrase)
    raise UnknownDatePhrase(f"unknown date phrase: {phrase!r}")


# --- qualified phrases -------------------------------------------------------------------
# A prefix ("since", "by the end of", "later") turns a period into a qualified interval.

_Resolver = Callable[[re.Match[str], date, str], ResolvedDate]


def _on(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    p = _period(m["p"], pub, phrase)
    return ResolvedDate(phrase, p.start, p.end, p.precision, DateQualifier.ON, p.edtf)


def _from(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    p = _period(m["p"], pub, phrase)
    edtf = f"{p.edtf_start}/.."
    return ResolvedDate(phrase, p.start, None, p.precision, DateQualifier.FROM, edtf)


def _in_year(text: str, year: int, phrase: str) -> _Period:
    """The period `text` (which names no year of its own) names in `year`."""
    return _period(text, date(year, 1, 1), phrase)


def _range(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    a_text, b_text = m["a"], m["b"]
    try:
        b = _period(b_text, pub, phrase)
    except UnknownDatePhrase:
        # "from November 9 to 21, 2025" is one day range, not "November 9" to "21, 2025".
        p = _period(f"{a_text} to {b_text}", pub, phrase)
        return ResolvedDate(phrase, p.start, p.end, p.precision, DateQualifier.ON, p.edtf)
    a = _period(a_text, pub, phrase)
    # An end without a year of its own shares the other end's year: "from October to
    # December 2025" starts in October 2025, not in the publication year. When that would
    # run backwards the range crosses a new year: "from October to March 2025" starts in
    # October 2024, "from October 2025 to March" ends in March 2026.
    a_own, b_own = _OWN_YEAR.search(a_text), _OWN_YEAR.search(b_text)
    if b_own and not a_own:
        a = _in_year(a_text, b.start.year, phrase)
        if a.start > b.end:
            a = _in_year(a_text, b.start.year - 1, phrase)
    elif a_own and not b_own:
        b = _in_year(b_text, a.end.year, phrase)
        if b.end < a.start:
            b = _in_year(b_text, a.end.year + 1, phrase)
    if b.end < a.start:
        raise UnknownDatePhrase(f"range runs backwards: {phrase!r}")
    precision = max(a.precision, b.precision, key=_PRECISION_ORDER.index)
    edtf = f"{a.edtf_start}/{b.edtf_end}"
    return ResolvedDate(phrase, a.start, b.end, precision, DateQualifier.ON, edtf)


def _deadline_start(end: date, pub: date) -> date | None:
    # A deadline still ahead cannot be met before the text was written; one already past
    # could have been met at any time.
    return pub if pub <= end else None


def _by_end_of(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    p = _period(m["p"], pub, phrase)
    start = _deadline_start(p.end, pub)
    edtf = f"../{p.end.isoformat()}"
    return ResolvedDate(phrase, start, p.end, p.precision, DateQualifier.BY, edtf)


def _by(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    p = _period(m["p"], pub, phrase)
    start = _deadline_start(p.end, pub)
    return ResolvedDate(phrase, start, p.end, p.precision, DateQualifier.BY, f"../{p.edtf_end}")


def _before(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    p = _period(m["p"], pub, phrase)
    end = p.start - timedelta(days=1)
    edtf = f"../{end.isoformat()}"
    return ResolvedDate(phrase, None, end, p.precision, DateQualifier.BEFORE, edtf)


def _later(m: re.Match[str], pub: date, phrase: str) -> ResolvedDate:
    # "later this year": after the text was written, within the year it names.
    p = _period(m["p"], pub, phrase)
    if p.end < pub:
        raise UnknownDatePhrase(f"{phrase!r} lies wholly before the publication date {pub}")
    start = max(p.start, pub)
    edtf = f"{start.isoformat()}/{p.end.isoformat()}"
    return ResolvedDate(phrase, start, p.end, p.precision, DateQualifier.ON, edtf)


# Order matters: the first full match wins, so longer prefixes come before their stems.
_RULES: list[tuple[re.Pattern[str], _Resolver]] = [
    (_rule(r"later (?P<p>.+)"), _later),
    (_rule(r"by the end of (?P<p>.+)"), _by_end_of),
    (_rule(r"(?:by|up to|to|until) (?P<p>.+)"), _by),
    (_rule(r"before (?P<p>.+)"), _before),
    (_rule(r"(?:starting from|since|from) (?P<a>.+?) to (?P<b>.+)"), _range),
    (_rule(r"(?:starting from|since|from) (?P<p>.+)"), _from),
    (_rule(r"(?:in|on|during) (?P<p>.+)"), _on),
    (_rule(r"(?P<p>.+)"), _on),
]


def _edtf_bound(value: object) -> date | None:
    # The edtf package gives struct_time for a bound and +/-inf for an open end.
    if isinstance(value, time.struct_time):
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _check_edtf(resolved: ResolvedDate) -> None:
    """Parse the EDTF we wrote and insist its bounds are the interval we computed."""
    parsed = parse_edtf(resolved.edtf)
    lower, upper = _edtf_bound(parsed.lower_strict()), _edtf_bound(parsed.upper_strict())
    # A deadline's EDTF leaves the start open ("../2024-12-31"); our start is the
    # publication date, which EDTF cannot say, so only the other qualifiers compare it.
    open_start = resolved.qualifier in (DateQualifier.BY, DateQualifier.BEFORE)
    expected_lower = None if open_start else resolved.start
    if lower != expected_lower or upper != resolved.end:
        raise RuntimeError(
            f"EDTF {resolved.edtf!r} has bounds {lower}..{upper}, "
            f"expected {expected_lower}..{resolved.end} for {resolved.phrase!r}"
        )


def resolve_date(phrase: str, published_on: date) -> ResolvedDate:
    """Resolve `phrase` as written in a text published on `published_on`.

    Relative words ("this year", "last year", "today", a month without a year) are read
    against the publication date. Raises UnknownDatePhrase when no rule matches.
    """
    text = " ".join(phrase.split())  # the phrase may wrap or carry doubled spaces
    for pattern, resolve in _RULES:
        m = pattern.fullmatch(text)
        if m:
            resolved = resolve(m, published_on, phrase)
            _check_edtf(resolved)
            return resolved
    raise UnknownDatePhrase(f"unknown date phrase: {phrase!r}")


# --- EDTF given directly -------------------------------------------------------------------
# What a curator may send instead of a phrase of the text: an ISO date or an EDTF period
# (2025-03-01, 2025-03, 2025, the quarter 2025-33 to 2025-36), open at the start ("../2025-03",
# by) or at the end ("2025-03/..", from).

_EDTF_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_EDTF = re.compile(r"(?:\.\./)?\d{4}(?:-\d{2}(?:-\d{2})?)?(?:/\.\.)?")


def is_edtf(value: str) -> bool:
    """Whether `value` is written as an ISO date or EDTF period rather than as a phrase."""
    return _EDTF.fullmatch(value) is not None


def _edtf_period(text: str, value: str) -> _Period:
    m = _EDTF_PERIOD.fullmatch(text)
    if m is None:
        raise UnknownDatePhrase(f"not an ISO date or EDTF period: {value!r}")
    year, month, day = int(m["year"]), m["month"], m["day"]
    if month is None:
        return _year_period(year, year)
    if day is not None:
        return _day_period(_day(year, int(month), int(day), value))
    if 33 <= int(month) <= 36:
        return _quarter_period(year, int(month) - 32)
    if 1 <= int(month) <= 12:
        return _month_period(year, int(month))
    raise UnknownDatePhrase(f"not a month or a quarter: {value!r}")


def resolve_edtf(value: str, published_on: date) -> ResolvedDate:
    """Resolve an ISO date or EDTF period as `resolve_date` resolves the phrase saying the same
    ("../2024-12" as "by December 2024"); `published_on` bounds a deadline's start likewise."""
    if value.startswith("../") and not value.endswith("/.."):
        p = _edtf_period(value[3:], value)
        start = _deadline_start(p.end, published_on)
        resolved = ResolvedDate(value, start, p.end, p.precision, DateQualifier.BY, f"../{p.edtf_end}")
    elif value.endswith("/..") and not value.startswith("../"):
        p = _edtf_period(value[:-3], value)
        resolved = ResolvedDate(value, p.start, None, p.precision, DateQualifier.FROM, f"{p.edtf_start}/..")
    else:
        p = _edtf_period(value, value)
        resolved = ResolvedDate(value, p.start, p.end, p.precision, DateQualifier.ON, p.edtf)
    _check_edtf(resolved)
    return resolved
