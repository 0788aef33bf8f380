"""Check that a seed accounts for every number and date expression in its source text.

The scanner finds each expression (a date phrase, a cardinal number, an ordinal) by its
character position. An expression is covered when it lies inside the quote of a record
that *uses* it:

- a metric covers the first number in its quote equal to its value, and the first equal
  to its previous value (so "from five years to three years" is one metric's two numbers);
- a milestone covers the date expressions inside its `when` phrase, an agreement those
  inside its `signed` phrase (each phrase located inside the record's quote);
- a meeting covers its own ordinal inside its quote ("24th");
- an exclusion covers every expression inside each occurrence of its text.

A metric's `as_of` phrase is deliberately *not* coverage: every period the text mentions
must be a milestone of its own, so dropping any one metric or milestone leaves something
uncovered. Words such as "dual", "both" or "half" are not counted as numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from app.loader.junk import kept_lines
from app.loader.records import SeedFile

__all__ = ["CoverageReport", "Expression", "ExpressionKind", "check_coverage", "scan"]


class ExpressionKind(StrEnum):
    DATE = "date"
    NUMBER = "number"
    ORDINAL = "ordinal"


@dataclass(frozen=True)
class Expression:
    """One number or date expression of the source text, by its character span."""

    start: int
    end: int
    text: str
    kind: ExpressionKind
    value: Decimal | None = None  # numbers and ordinals, normalised ("65 000" -> 65000)

    def within(self, start: int, end: int) -> bool:
        return start <= self.start and self.end <= end

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r} at {self.start}"


# --- scanning ---------------------------------------------------------------------------

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_YEAR = r"(?:\d{4}|this year|last year|next year)"

# Dates first, longest forms first: their digits ("July 12", "2022/23") are not numbers.
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH} \d{{1,2}} to \d{{1,2}}, \d{{4}}\b"),
    re.compile(rf"\b{_MONTH} \d{{1,2}}(?:,? {_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}(?: {_YEAR})?\b"),  # month names are capitalised: "may" is a verb
    re.compile(r"\b\d{4}/\d{2} school year\b", re.IGNORECASE),
    re.compile(rf"\b(?:first|second|third|fourth) quarter of {_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?:this|last|next|past) year\b", re.IGNORECASE),
    re.compile(r"\btoday\b", re.IGNORECASE),
    re.compile(r"\b(?:19|20)\d{2}\b(?!/)"),
]

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_OTHER_WORDS = {"hundred": 100, "thousand": 1000, "once": 1, "twice": 2}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_MULTIPLIERS = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9}


def _alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_NUMBER_PATTERNS: list[tuple[re.Pattern[str], ExpressionKind]] = [
    # "9+2": the GBA's nine Guangdong cities and two SARs
    (re.compile(r"\b\d+\+\d+\b"), ExpressionKind.NUMBER),
    (re.compile(r"\b\d+(?:st|nd|rd|th)\b"), ExpressionKind.ORDINAL),
    # "65 000" (space-grouped thousands), "1.7 million", "100"
    (
        re.compile(r"\b(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:\.\d+)?(?: (?:million|billion))?\b"),
        ExpressionKind.NUMBER,
    ),
    (
        re.compile(
            rf"\b(?:(?:{_alternation(_TENS)})(?:-(?:{_alternation(_UNITS)}))?"
            rf"|{_alternation(_UNITS)}|{_alternation(_OTHER_WORDS)})"
            r"(?: (?:million|billion))?\b",
            re.IGNORECASE,
        ),
        ExpressionKind.NUMBER,
    ),
    (re.compile(rf"\b(?:{_alternation(_ORDINAL_WORDS)})\b", re.IGNORECASE), ExpressionKind.ORDINAL),
]


def number_value(text: str) -> Decimal:
    """The value of a number expression as the scanner finds it ("1.7 million" -> 1700000)."""
    words = text.lower().replace("\u00a0", " ").split()
    multiplier = Decimal(1)
    if words and words[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[words.pop()]
    body = " ".join(words)
    if "+" in body:
        return sum((Decimal(part) for part in body.split("+")), Decimal(0)) * multiplier
    if re.fullmatch(r"\d+(?:st|nd|rd|th)", body):
        return Decimal(body[:-2])
    if re.fullmatch(r"[\d ]+(?:\.\d+)?", body):
        return Decimal(body.replace(" ", "")) * multiplier
    if body in _ORDINAL_WORDS:
        return Decimal(_ORDINAL_WORDS[body])
    tens, _, unit = body.partition("-")
    if tens in _TENS:
        return Decimal(_TENS[tens] + (_UNITS[unit] if unit else 0)) * multiplier
    if body in _UNITS:
        return Decimal(_UNITS[body]) * multiplier
    return Decimal(_OTHER_WORDS[body]) * multiplier


def scan(text: str) -> list[Expression]:
    """Every number and date expression of `text`, in order of position, junk lines left
    out (a garbled heading or a row of photo links carries no facts: see junk.py)."""
    found: list[Expression] = []
    for offset, line in kept_lines(text):
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int, taken: list[tuple[int, int]] = taken) -> bool:
            return all(end <= a or b <= start for a, b in taken)

        for pattern in _DATE_PATTERNS:
            for m in pattern.finditer(line):
                if free(m.start(), m.end()):
                    taken.append((m.start(), m.end()))
                    found.append(Expression(offset + m.start(), offset + m.end(), m.group(), ExpressionKind.DATE))
        for pattern, kind in _NUMBER_PATTERNS:
            for m in pattern.finditer(line):
                if free(m.start(), m.end()):
                    taken.append((m.start(), m.end()))
                    found.append(
                        Expression(
                            offset + m.start(),
                            offset + m.end(),
                            m.group(),
                            kind,
                            number_value(m.group()),
                        )
                    )
    return sorted(found, key=lambda e: e.start)


# --- coverage ---------------------------------------------------------------------------


@dataclass
class CoverageReport:
    """Which record covers each expression; what is left uncovered; what is inconsistent."""

    expressions: list[Expression]
    covered_by: dict[Expression, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def uncovered(self) -> list[Expression]:
        return [e for e in self.expressions if not self.covered_by.get(e)]

    @property
    def ok(self) -> bool:
        return not self.uncovered and not self.problems

    def format(self) -> str:
        lines = [f"{len(self.expressions)} expressions, {len(self.uncovered)} uncovered, {len(self.problems)} problems"]
        lines += [f"  uncovered: {e}" for e in self.uncovered]
        lines += [f"  problem: {p}" for p in self.problems]
        return "\n".join(lines)


class _Checker:
    def __init__(self, seed: SeedFile, text: str) -> None:
        self.seed = seed
        self.text = text
        self.report = CoverageReport(scan(text))

    def cover(self, expression: Expression, owner: str) -> None:
        self.report.covered_by.setdefault(expression, []).append(owner)

    def quote_span(self, owner: str, quote: str) -> tuple[int, int] | None:
        start = self.text.find(quote)
        if start < 0:
            self.report.problems.append(f"{owner}: quote not in the text: {quote!r}")
            return None
        # The loader stores the first occurrence; a second would make that span a guess.
        if self.text.find(quote, start + 1) >= 0:
            self.report.problems.append(f"{owner}: quote occurs more than once: {quote!r}")
        return start, start + len(quote)

    def inside(self, span: tuple[int, int]) -> list[Expression]:
        return [e for e in self.report.expressions if e.within(*span)]

    def cover_phrase(self, owner: str, quote: str, phrase: str) -> None:
        """Cover the date expressions of `phrase`, found inside the record's quote."""
        span = self.quote_span(owner, quote)
        if span is None:
            return
        at = quote.find(phrase)
        if at < 0:
            self.report.problems.append(f"{owner}: {phrase!r} is not inside its quote")
            return
        phrase_span = (span[0] + at, span[0] + at + len(phrase))
        dates = [e for e in self.inside(phrase_span) if e.kind is ExpressionKind.DATE]
        if not dates:
            self.report.problems.append(f"{owner}: {phrase!r} holds no date expression")
        for expression in dates:
            self.cover(expression, owner)

    def metrics(self) -> None:
        for metric in self.seed.metrics:
            owner = f"metric:{metric.slug}"
            span = self.quote_span(owner, metric.quote)
            if span is None:
                continue
            numbers = [e for e in self.inside(span) if e.kind is ExpressionKind.NUMBER]
            for value in (metric.value, metric.previous_value):
                if value is None:
                    continue
                match = next((e for e in numbers if e.value == value), None)
                if match is None:
                    self.report.problems.append(f"{owner}: no number {value} in its quote")
                    continue
                numbers.remove(match)  # the previous value must be another number
                self.cover(match, owner)
            if metric.as_of is not None and metric.as_of not in metric.quote:
                self.report.problems.append(f"{owner}: as_of {metric.as_of!r} not in its quote")

    def milestones(self) -> None:
        for milestone in self.seed.milestones:
            self.cover_phrase(f"milestone:{milestone.slug}", milestone.quote, milestone.when)

    def agreements(self) -> None:
        for agreement in self.seed.agreements:
            owner = f"agreement:{agreement.slug}"
            if agreement.signed is not None:
                self.cover_phrase(owner, agreement.quote, agreement.signed)
            else:
                self.quote_span(owner, agreement.quote)

    def meetings(self) -> None:
        # Only the ordinal: the meeting's date is a milestone's to cover, so that dropping
        # that milestone still leaves its date uncovered.
        for meeting in self.seed.meetings:
            owner = f"meeting:{meeting.slug}"
            span = self.quote_span(owner, meeting.quote)
            if span is None:
                continue
            for expression in self.inside(span):
                is_ordinal = expression.kind is ExpressionKind.ORDINAL
                if is_ordinal and expression.value == meeting.ordinal:
                    self.cover(expression, owner)

    def exclusions(self) -> None:
        for exclusion in self.seed.exclusions:
            owner = f"exclusion:{exclusion.text!r}"
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(exclusion.text), self.text)]
            if not spans:
                self.report.problems.append(f"{owner}: not in the text")
            covered = [e for span in spans for e in self.inside(span)]
            if spans and not covered:
                self.report.problems.append(f"{owner}: covers no number or date expression")
            for expression in covered:
                self.cover(expression, owner)

    def run(self) -> CoverageReport:
        self.metrics()
        self.milestones()
        self.agreements()
        self.meetings()
        self.exclusions()
        return self.report


def check_coverage(seed: SeedFile, text: str) -> CoverageReport:
    """Match every expression of `text` to the records of `seed` that account for it."""
    return _Checker(seed, text).run()
