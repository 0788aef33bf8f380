"""Where a record's quote stands in its document, and a document's own day as a date."""

from dataclasses import dataclass
from datetime import date

from app.loader.dates import ResolvedDate
from app.models.vocab import DatePrecision, DateQualifier


@dataclass(frozen=True)
class Span:
    quote: str
    start: int
    end: int


def on_day(day: date) -> ResolvedDate:
    return ResolvedDate(
        phrase="",
        start=day,
        end=day,
        precision=DatePrecision.DAY,
        qualifier=DateQualifier.ON,
        edtf=day.isoformat(),
    )


def certain_by(resolved: ResolvedDate) -> date:
    """The day by which a statement dated `resolved` certainly held: the interval's end, or
    its start when open-ended ("since July 2023"). History is ordered on this day."""
    assert resolved.start is not None
    if resolved.end is None or resolved.qualifier is DateQualifier.FROM:
        return resolved.start
    return resolved.end
