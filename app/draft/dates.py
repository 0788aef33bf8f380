"""Date phrases: the publication date of the release, and every date phrase of its sentences,
resolved by the project's own resolver (app/loader/dates.py) against that date."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.loader.dates import ResolvedDate, UnknownDatePhrase, resolve_date

__all__ = ["DateMention", "NoPublicationDate", "find_dates", "publication_date"]

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH = "(?:" + "|".join(_MONTH_NAMES) + ")"  # capitalised only: "may" is a verb
_YEAR = r"(?:(?:19|20)\d{2}|(?i:this|last|next) year)"
_DAY = r"\d{1,2}"
_PERIOD = "|".join(
    [
        rf"(?i:today)(?: \({_MONTH} {_DAY}\))?",
        rf"(?i:the )?(?i:first|second|third|fourth) (?i:quarter)(?: (?i:of) {_YEAR})?",
        r"(?i:the )?(?:19|20)\d{2}/\d{2} (?i:school year)",
        rf"{_MONTH} {_DAY} to {_DAY},? (?:19|20)\d{{2}}",
        rf"{_MONTH} {_DAY}(?:,? {_YEAR})?(?!\d)",
        rf"{_MONTH}(?: {_YEAR})?",
        r"(?:19|20)\d{2} and (?:19|20)\d{2}",
        _YEAR,
    ]
)
_PREFIX = r"(?i:later|by the end of|by|up to|until|to|before|starting from|since|from|in|on|during) "
_RANGE_START = r"(?i:starting from|since|from) "
_PHRASE = re.compile(
    rf"\b(?:{_RANGE_START}(?:{_PERIOD}) to (?:{_PERIOD})|(?:{_PREFIX})?(?:{_PERIOD}))(?![\w/-])",
)
# A period named only to compare with ("the same period last year") is no date of its own.
_COMPARISON = re.compile(r"(?i:same period|compared (?:to|with)|than)\s*(?:of\s+)?$")
_TODAY = re.compile(
    rf"(?i:today|this morning|this afternoon|this evening|tonight) \((?P<month>{_MONTH}) (?P<day>{_DAY})\)"
)
_FULL_DATE = re.compile(
    rf"(?:(?P<month>{_MONTH}) (?P<day>{_DAY}), (?P<year>(?:19|20)\d{{2}})"
    rf"|(?P<day2>{_DAY}) (?P<month2>{_MONTH}),? (?P<year2>(?:19|20)\d{{2}}))"
)
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_A_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


class NoPublicationDate(ValueError):
    """Neither the text nor the command line says when the release was published."""


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    phrase: str  # as written (the plain view; odd spaces as spaces)
    resolved: ResolvedDate | None
    problem: str | None  # why it could not be resolved


def _try_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def publication_date(plain: str, title: str) -> tuple[date, str]:
    """The date the release was published and the rule that found it.

    "today (July 12)" takes its year from the title, else from a dateline ("Friday, July 12,
    2024", "2024-07-12"); a dateline alone also serves."""
    datelines = [m for m in _FULL_DATE.finditer(plain)] + [m for m in _ISO_DATE.finditer(plain)]
    today = _TODAY.search(plain)
    if today:
        month, day = _MONTHS[today["month"]], int(today["day"])
        title_year = _A_YEAR.search(title)
        if title_year:
            found = _try_date(int(title_year.group()), month, day)
            if found:
                return found, f"{today.group()!r} with the year of the title"
        for m in datelines:
            year = int(m["year"] or m["year2"])
            found = _try_date(year, month, day)
            if found:
                return found, f"{today.group()!r} with the year of the dateline {m.group()!r}"
    # The dateline of a government release ends it ("Ends/Friday, July 12, 2024"): take the last.
    for m in reversed(datelines):
        if m.re is _ISO_DATE:
            found = _try_date(int(m["year"]), int(m["month"]), int(m["day"]))
        else:
            month_name, day_text = (m["month"], m["day"]) if m["month"] else (m["month2"], m["day2"])
            found = _try_date(int(m["year"] or m["year2"]), _MONTHS[month_name], int(day_text))
        if found:
            return found, f"the dateline {m.group()!r}"
    if today:
        raise NoPublicationDate(f"{today.group()!r} names no year, and neither the title nor a dateline does")
    raise NoPublicationDate("no 'today (Month D)' and no dateline in the text")


def find_dates(plain: str, start: int, end: int, published_on: date) -> list[DateMention]:
    """Every date phrase between `start` and `end` of `plain`, resolved or with the reason it is not."""
    found: list[DateMention] = []
    for m in _PHRASE.finditer(plain, start, end):
        if _COMPARISON.search(plain[max(start, m.start() - 30) : m.start()]):
            continue
        phrase = m.group()
        resolved, problem = None, None
        for candidate in (phrase, _strip_prefix(phrase)):
            try:
                resolved = resolve_phrase(candidate, published_on)
            except UnknownDatePhrase as error:
                problem = str(error)
                continue
            if resolved.start is None:  # "before 2020": no start to store; "2020" alone would misread it
                resolved, problem = None, f"{candidate!r} has no earliest date"
                break
            phrase, problem = candidate, None
            break
        offset = m.start() + (m.group().find(phrase) if phrase in m.group() else 0)
        found.append(DateMention(offset, offset + len(phrase), phrase, resolved, problem))
    return found


@lru_cache(maxsize=4096)
def resolve_phrase(phrase: str, published_on: date) -> ResolvedDate:
    """The project's resolver, remembered: a phrase is looked at by several rules, and the
    resolver's EDTF self-check (a pyparsing grammar) costs tens of milliseconds a phrase."""
    return resolve_date(phrase, published_on)


def _strip_prefix(phrase: str) -> str:
    return re.sub(rf"^{_PREFIX}", "", phrase)
