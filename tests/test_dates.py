"""Date phrases resolve to the intervals, precisions, qualifiers and EDTF strings we expect."""

from datetime import date

import pytest

from app.loader.dates import ResolvedDate, UnknownDatePhrase, resolve_date
from app.models.vocab import DatePrecision as P
from app.models.vocab import DateQualifier as Q

PUBLISHED = date(2024, 7, 12)  # the 24th Plenary press release
D = date

# phrase -> (start, end, precision, qualifier, edtf); kept as a table, not reformatted.
# fmt: off
CASES: dict[str, tuple[date | None, date | None, P, Q, str]] = {
    # today, against the publication date
    "today": (D(2024, 7, 12), D(2024, 7, 12), P.DAY, Q.ON, "2024-07-12"),
    "today (July 12)": (D(2024, 7, 12), D(2024, 7, 12), P.DAY, Q.ON, "2024-07-12"),
    # days, with and without a year
    "on February 19 this year": (D(2024, 2, 19), D(2024, 2, 19), P.DAY, Q.ON, "2024-02-19"),
    "on April 11 this year": (D(2024, 4, 11), D(2024, 4, 11), P.DAY, Q.ON, "2024-04-11"),
    "on June 14 this year": (D(2024, 6, 14), D(2024, 6, 14), P.DAY, Q.ON, "2024-06-14"),
    "July 1, 2025": (D(2025, 7, 1), D(2025, 7, 1), P.DAY, Q.ON, "2025-07-01"),
    # day ranges
    "November 9 to 21, 2025": (
        D(2025, 11, 9), D(2025, 11, 21), P.DAY, Q.ON, "2025-11-09/2025-11-21",
    ),
    "December 8 to 15, 2025": (
        D(2025, 12, 8), D(2025, 12, 15), P.DAY, Q.ON, "2025-12-08/2025-12-15",
    ),
    # months, absolute and relative
    "in April last year": (D(2023, 4, 1), D(2023, 4, 30), P.MONTH, Q.ON, "2023-04"),
    "In April this year": (D(2024, 4, 1), D(2024, 4, 30), P.MONTH, Q.ON, "2024-04"),
    "in January this year": (D(2024, 1, 1), D(2024, 1, 31), P.MONTH, Q.ON, "2024-01"),
    "in September this year": (D(2024, 9, 1), D(2024, 9, 30), P.MONTH, Q.ON, "2024-09"),
    "in September 2022": (D(2022, 9, 1), D(2022, 9, 30), P.MONTH, Q.ON, "2022-09"),
    "In December 2023": (D(2023, 12, 1), D(2023, 12, 31), P.MONTH, Q.ON, "2023-12"),
    "in February 2024": (D(2024, 2, 1), D(2024, 2, 29), P.MONTH, Q.ON, "2024-02"),  # leap year
    "in May next year": (D(2025, 5, 1), D(2025, 5, 31), P.MONTH, Q.ON, "2025-05"),
    "November 9 to 21": (  # no year: the publication year, as for a single day
        D(2024, 11, 9), D(2024, 11, 21), P.DAY, Q.ON, "2024-11-09/2024-11-21",
    ),
    "from November 9 to 21, 2025": (  # one day range, not "November 9" to "21, 2025"
        D(2025, 11, 9), D(2025, 11, 21), P.DAY, Q.ON, "2025-11-09/2025-11-21",
    ),
    # month ranges
    "from April 2023 to July 2024": (
        D(2023, 4, 1), D(2024, 7, 31), P.MONTH, Q.ON, "2023-04/2024-07",
    ),
    # a range end with no year of its own takes the other end's year ...
    "from October to December 2025": (
        D(2025, 10, 1), D(2025, 12, 31), P.MONTH, Q.ON, "2025-10/2025-12",
    ),
    "from November 29 to December 3, 2025": (
        D(2025, 11, 29), D(2025, 12, 3), P.DAY, Q.ON, "2025-11-29/2025-12-03",
    ),
    "from the third quarter to the fourth quarter of 2025": (
        D(2025, 7, 1), D(2025, 12, 31), P.QUARTER, Q.ON, "2025-07/2025-12",
    ),
    # ... crossing a new year where the same year would run backwards
    "from October to March 2025": (
        D(2024, 10, 1), D(2025, 3, 31), P.MONTH, Q.ON, "2024-10/2025-03",
    ),
    "from October 2025 to March": (
        D(2025, 10, 1), D(2026, 3, 31), P.MONTH, Q.ON, "2025-10/2026-03",
    ),
    # neither end has a year: both in the publication year
    "from June 28 to July 5": (
        D(2024, 6, 28), D(2024, 7, 5), P.DAY, Q.ON, "2024-06-28/2024-07-05",
    ),
    "from today to December 2025": (
        D(2024, 7, 12), D(2025, 12, 31), P.MONTH, Q.ON, "2024-07-12/2025-12",
    ),
    # quarters (EDTF 33..36)
    "the third quarter of 2024": (D(2024, 7, 1), D(2024, 9, 30), P.QUARTER, Q.ON, "2024-35"),
    "in the third quarter of 2024": (
        D(2024, 7, 1), D(2024, 9, 30), P.QUARTER, Q.ON, "2024-35",
    ),
    "in the first quarter of next year": (
        D(2025, 1, 1), D(2025, 3, 31), P.QUARTER, Q.ON, "2025-33",
    ),
    "the fourth quarter of this year": (
        D(2024, 10, 1), D(2024, 12, 31), P.QUARTER, Q.ON, "2024-36",
    ),
    "from the third quarter of this year": (
        D(2024, 7, 1), None, P.QUARTER, Q.FROM, "2024-07/..",
    ),
    # school years (September to August)
    "2022/23 school year": (
        D(2022, 9, 1), D(2023, 8, 31), P.SCHOOL_YEAR, Q.ON, "2022-09/2023-08",
    ),
    "in the 2022/23 school year": (
        D(2022, 9, 1), D(2023, 8, 31), P.SCHOOL_YEAR, Q.ON, "2022-09/2023-08",
    ),
    "since the 2023/24 school year": (
        D(2023, 9, 1), None, P.SCHOOL_YEAR, Q.FROM, "2023-09/..",
    ),
    "the 1999/00 school year": (
        D(1999, 9, 1), D(2000, 8, 31), P.SCHOOL_YEAR, Q.ON, "1999-09/2000-08",
    ),
    # years
    "this year": (D(2024, 1, 1), D(2024, 12, 31), P.YEAR, Q.ON, "2024"),
    "last year": (D(2023, 1, 1), D(2023, 12, 31), P.YEAR, Q.ON, "2023"),
    "in 2025": (D(2025, 1, 1), D(2025, 12, 31), P.YEAR, Q.ON, "2025"),
    "in 2022": (D(2022, 1, 1), D(2022, 12, 31), P.YEAR, Q.ON, "2022"),
    "2024": (D(2024, 1, 1), D(2024, 12, 31), P.YEAR, Q.ON, "2024"),
    "2024 and 2025": (D(2024, 1, 1), D(2025, 12, 31), P.YEAR, Q.ON, "2024/2025"),
    # "later this year": from the publication date to the end of the year
    "later this year": (
        D(2024, 7, 12), D(2024, 12, 31), P.YEAR, Q.ON, "2024-07-12/2024-12-31",
    ),
    # deadlines: cannot be met before the text was written
    "by the end of this year": (D(2024, 7, 12), D(2024, 12, 31), P.YEAR, Q.BY, "../2024-12-31"),
    "by the end of 2024": (D(2024, 7, 12), D(2024, 12, 31), P.YEAR, Q.BY, "../2024-12-31"),
    "by the end of September 2024": (
        D(2024, 7, 12), D(2024, 9, 30), P.MONTH, Q.BY, "../2024-09-30",
    ),
    "by 2025": (D(2024, 7, 12), D(2025, 12, 31), P.YEAR, Q.BY, "../2025"),
    "to 2026": (D(2024, 7, 12), D(2026, 12, 31), P.YEAR, Q.BY, "../2026"),
    # a deadline already past at publication could have been met at any time
    "by the end of 2023": (None, D(2023, 12, 31), P.YEAR, Q.BY, "../2023-12-31"),
    # open-ended starts
    "since July 2023": (D(2023, 7, 1), None, P.MONTH, Q.FROM, "2023-07/.."),
    "Since 2003": (D(2003, 1, 1), None, P.YEAR, Q.FROM, "2003/.."),
    "from June 28": (D(2024, 6, 28), None, P.DAY, Q.FROM, "2024-06-28/.."),
    "Starting from July 18": (D(2024, 7, 18), None, P.DAY, Q.FROM, "2024-07-18/.."),
    # strictly before
    "before July 2024": (None, D(2024, 6, 30), P.MONTH, Q.BEFORE, "../2024-06-30"),
}
# fmt: on


@pytest.mark.parametrize(("phrase", "expected"), list(CASES.items()), ids=list(CASES))
def test_resolve_date(phrase: str, expected: tuple[date | None, date | None, P, Q, str]) -> None:
    start, end, precision, qualifier, edtf = expected
    assert resolve_date(phrase, PUBLISHED) == ResolvedDate(phrase, start, end, precision, qualifier, edtf)


def test_relative_years_follow_the_publication_date() -> None:
    later = resolve_date("in April last year", date(2030, 1, 5))
    assert (later.start, later.end, later.edtf) == (date(2029, 4, 1), date(2029, 4, 30), "2029-04")


def test_phrase_is_kept_as_written() -> None:
    assert resolve_date("  In April  this year ", PUBLISHED).phrase == "  In April  this year "


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "soon",
        "after the meeting",
        "the same period last year",
        "In the past year",
        "in the long run",
        "February 30, 2024",  # no such day
        "2022/24 school year",  # not consecutive years
        "November 21 to 9, 2025",  # runs backwards
        "from July 2024 to April 2023",  # runs backwards
        "from November 21 to 9, 2025",  # runs backwards
        "from Smarch to July 2024",
        "2025 and 2024",  # runs backwards
        "the fifth quarter of 2024",
        "today (July 13)",  # contradicts the publication date
        "later last year",  # wholly before the publication date
        "Smarch 2024",
    ],
)
def test_unknown_phrases_raise(phrase: str) -> None:
    with pytest.raises(UnknownDatePhrase) as excinfo:
        resolve_date(phrase, PUBLISHED)
    assert repr(phrase) in str(excinfo.value)


def test_unknown_date_phrase_is_a_value_error() -> None:
    assert issubclass(UnknownDatePhrase, ValueError)
