"""Figures: every number of a sentence that counts something in a unit of the vocabulary.

Numbers are found by the completeness scanner (app/loader/completeness.py), so a draft and
the coverage check agree on what a number is. A number becomes a metric when a unit word
follows it (or "population" precedes it); words before it give the qualifier; "from A to B"
is one metric with a previous value. A figure that fits a series of the register (same unit,
similar words) becomes a new observation of that series.
"""

import re
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz, utils
from text_to_num import text2num

from app.draft.book import Context
from app.draft.clean import Sentence
from app.loader.completeness import Expression, ExpressionKind, scan
from app.models.vocab import MetricQualifier, MetricUnit

__all__ = ["draft_figures"]

# Unit words, longest first; the first found within a few words after the number wins.
_UNIT_WORDS: list[tuple[str, MetricUnit]] = [
    (r"per ?cent|percent|%", MetricUnit.PERCENT),
    (r"study tours?", MetricUnit.STUDY_TOURS),
    (r"times", MetricUnit.TIMES),
    (r"years?", MetricUnit.YEARS),
    (r"persons?|people|residents|citizens|practitioners|lawyers|students|teachers|participants|visitors|"
     r"talents|candidates|trainees|elderly|patients|graduates|enterprises? staff|members|passengers|"
     r"travellers|tourists|youths?|applicants|workers|professionals|doctors|nurses|experts|scholars",
     MetricUnit.PERSONS),
    (r"cars|vehicles|buses|coaches|lorries|trucks", MetricUnit.VEHICLES),
    (r"offices|branches", MetricUnit.OFFICES),
    (r"projects", MetricUnit.PROJECTS),
    (r"institutions|institutes|universities", MetricUnit.INSTITUTIONS),
    (r"schools|kindergartens", MetricUnit.SCHOOLS),
    (r"cities", MetricUnit.CITIES),
    (r"activities|events|performances|exhibitions", MetricUnit.ACTIVITIES),
    (r"agreements|memoranda|memorandums|MoUs|arrangements", MetricUnit.AGREEMENTS),
    (r"governments", MetricUnit.GOVERNMENTS),
]  # fmt: skip
_UNIT = re.compile(r"\b(?:" + "|".join(f"(?P<u{i}>{w})" for i, (w, _) in enumerate(_UNIT_WORDS)) + r")\b|%", re.I)
_PER_DAY = re.compile(r"(?i)\b(?:daily|per day|a day|each day)\b")
_POPULATION = re.compile(r"(?i)\bpopulation\b[\w ]{0,30}$")
_QUALIFIERS: list[tuple[re.Pattern[str], MetricQualifier]] = [
    (re.compile(r"(?i)\b(?:more than|over and above)\s+$"), MetricQualifier.MORE_THAN),
    (re.compile(r"(?i)\b(?:over|exceeding|above)\s+$"), MetricQualifier.OVER),
    (re.compile(r"(?i)\b(?:at least|no fewer than|no less than|a minimum of)\s+$"), MetricQualifier.AT_LEAST),
    (re.compile(r"(?i)\b(?:up to|at most|no more than|fewer than|less than|under|nearly|almost)\s+$"),
     MetricQualifier.UP_TO),
    (re.compile(r"(?i)\b(?:about|some|around|approximately|roughly|an estimated|close to)\s+$"),
     MetricQualifier.ABOUT),
]  # fmt: skip
# "the two places", "the three governments": parties named before, counted again.
_ANAPHORIC = re.compile(r"(?i)\b(?:the|both|these|those|all the)\s+$")
_LOWERED_FROM = re.compile(r"(?i)\bfrom\s+$")
_CLAUSE_END = re.compile(r"[,;:.()]|\b(?:which|while|whereas|but|to|for|with)\b")
_WINDOW_WORDS = 7
# Number words the completeness scanner reads word by word or not at all ("fifteen",
# "two hundred", "one thousand two hundred"): read whole by text2num.
_SMALL = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_WORDS_NUMBER = re.compile(
    rf"\b(?:{_SMALL})(?:-(?:{_SMALL}))?(?:[ -](?:and )?(?:{_SMALL}|hundred|thousand)(?:-(?:{_SMALL}))?)*\b", re.I
)
_SCANNED = re.compile(r"(?i)^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                      r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?)$")  # fmt: skip


def _numbers(text: str) -> list[Expression]:
    """The scanner's numbers, with number words it splits or misses read whole."""
    numbers = [e for e in scan(text) if e.kind is ExpressionKind.NUMBER]
    for m in _WORDS_NUMBER.finditer(text):
        if _SCANNED.match(m.group()):
            continue  # the scanner reads it right
        try:
            value = Decimal(text2num(m.group().lower().replace("-", " ").replace(" and ", " "), "en"))
        except ValueError:
            continue
        numbers = [e for e in numbers if e.end <= m.start() or e.start >= m.end()]
        numbers.append(Expression(m.start(), m.end(), m.group(), ExpressionKind.NUMBER, value))
    return sorted(numbers, key=lambda e: e.start)


def _unit_after(plain: str, start: int, end: int) -> tuple[MetricUnit, int] | None:
    """The unit named within a few words after the number (stopping at a clause's end)."""
    tail = plain[start:end]
    stop = _CLAUSE_END.search(tail)
    window = tail[: stop.start()] if stop and stop.start() > 0 else tail
    window = " ".join(window.split(" ")[: _WINDOW_WORDS + 1])
    m = _UNIT.search(window)
    if not m:
        return None
    if m.group() == "%":
        return MetricUnit.PERCENT, start + m.end()
    index = next(int(name[1:]) for name, value in m.groupdict().items() if value)
    return _UNIT_WORDS[index][1], start + m.end()


def _in_slogan(sentence: Sentence, number: Expression) -> bool:
    """Inside quotation marks with other words: a name or slogan ("one zone, two parks")."""
    before = sentence.plain[: number.start - sentence.start]
    opened = before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")
    if not opened:
        return False
    closing = sentence.plain.find('"', number.end - sentence.start)
    inner = before[before.rfind('"') + 1 :] + sentence.plain[number.end - sentence.start : max(closing, 0)]
    return bool(inner.strip())


def _qualifier(before: str) -> MetricQualifier:
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(before):
            return qualifier
    return MetricQualifier.EXACT


def _label(sentence: Sentence, number: Expression, unit_end: int) -> str:
    """The clause the figure stands in ("over 450 ... have obtained the Lawyer's License")."""
    at = number.start - sentence.start
    pieces = re.split(r"(?<=[,;:])\s+", sentence.plain)
    offset, chosen = 0, sentence.plain
    for index, piece in enumerate(pieces):
        if offset <= at < offset + len(piece) + 1:
            chosen = piece if len(piece) >= 30 or index == 0 else f"{pieces[index - 1]} {piece}"
            break
        offset += len(piece) + 1
    words = " ".join(chosen.strip(" ,;:.").split())
    words = words[:140].rsplit(" ", 1)[0] + " ..." if len(words) > 140 else words
    words = words or " ".join(sentence.plain.split())
    return words[:1].upper() + words[1:]


def _series(ctx: Context, unit: MetricUnit, sentence: Sentence) -> str | None:
    """A series of the register this figure is a further observation of."""
    best, best_score = None, 0.0
    for known in ctx.register.series:
        if known.kind != unit:
            continue
        score = fuzz.token_set_ratio(known.names[0], sentence.plain, processor=utils.default_process)
        if score > best_score:
            best, best_score = known.slug, score
    return best if best_score >= 80 else None


def draft_figures(ctx: Context, sentences: list[Sentence]) -> None:
    plain = ctx.prepared.plain
    numbers = _numbers(ctx.prepared.text)
    by_sentence: dict[int, list[Expression]] = {}
    for number in numbers:
        for sentence in sentences:
            if sentence.start <= number.start and number.end <= sentence.end:
                by_sentence.setdefault(sentence.start, []).append(number)
                break
    last_unit: MetricUnit | None = None
    paragraph = -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            last_unit, paragraph = None, sentence.paragraph
        used: set[int] = set()
        for number in by_sentence.get(sentence.start, []):
            if number.start in used:
                continue
            before = plain[max(sentence.start, number.start - 40) : number.start]
            after_char = plain[number.end : number.end + 1]
            if after_char == "-" or before.endswith("-") or _in_slogan(sentence, number):
                continue  # "one-stop", "two-year", a slogan: part of a name
            if number.text.lower() in ("one", "once") and not re.search(r"(?i)\b(?:only|just)\s+$", before):
                continue  # "one of the", "one country": an article more often than a count
            found = _unit_after(plain, number.end, sentence.end)
            if found is None and _POPULATION.search(before):
                found = (MetricUnit.PERSONS, number.end)
            if found is None and re.match(r"\s+of them\b", plain[number.end : number.end + 9]) and last_unit:
                found = (last_unit, number.end)
            if found is None:
                if not _ANAPHORIC.search(before):
                    ctx.book.cannot_place(number.text, "a number with no unit of the vocabulary after it",
                                          sentence.quote)  # fmt: skip
                continue
            unit, unit_end = found
            if _ANAPHORIC.search(before) and unit not in (MetricUnit.GOVERNMENTS, MetricUnit.CITIES):
                continue  # "the two hospitals": counts parties named before
            if unit is MetricUnit.VEHICLES and _PER_DAY.search(plain[sentence.start : unit_end]):
                unit = MetricUnit.VEHICLES_PER_DAY
            last_unit = unit
            value, previous = number.value, None
            rule = "number and unit"
            if _LOWERED_FROM.search(before):  # "from five years to three years"
                later = [n for n in by_sentence[sentence.start] if n.start > number.end and n.start < number.end + 40]
                if later and re.match(r"\s*(?:\w+\s+)?to\s+$", plain[number.end : later[0].start] + " "):
                    previous, value = number.value, later[0].value
                    used.add(later[0].start)
                    rule = "change from one figure to another"
            assert value is not None
            _emit(ctx, sentence, number, value, previous, unit, _qualifier(before), rule, unit_end)


def _emit(
    ctx: Context,
    sentence: Sentence,
    number: Expression,
    value: Decimal,
    previous: Decimal | None,
    unit: MetricUnit,
    qualifier: MetricQualifier,
    rule: str,
    unit_end: int,
) -> None:
    label = _label(sentence, number, unit_end)
    series = _series(ctx, unit, sentence)
    record: dict[str, Any] = {"slug": ""}
    if series is not None:
        record.update(series=series)
        ctx.book.linked["metrics"] += 1
        rule = f"{rule}, a further figure of series {series}"
    else:
        record.update(label=label)
    record["value"] = _number(value)
    if previous is not None:
        record["previous_value"] = _number(previous)
    if series is None:
        record["unit"] = unit.value
    record["qualifier"] = qualifier.value
    if series is None:
        record["area"] = ctx.area_of(sentence)
    initiative = ctx.initiative_of_sentence.get(sentence.start)
    if initiative:
        record["initiative"] = initiative
    record["quote"] = sentence.quote
    record["slug"] = ctx.book.slug("metrics", f"{series}-{ctx.published_on.isoformat()}" if series else label)
    words = ctx.prepared.plain[max(sentence.start, number.start - 12) : unit_end]
    confidence = 0.85 if qualifier is not MetricQualifier.EXACT or unit is not MetricUnit.PERSONS else 0.75
    ctx.book.add("metrics", record, confidence if series is None else 0.7, rule, words)


def _number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)
