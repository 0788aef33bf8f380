"""The document itself, the meeting it reports, and its areas (one per section heading)."""

import re
from typing import Any

from rapidfuzz import fuzz

from app.draft.book import Context, best_match
from app.draft.clean import Sentence

__all__ = ["draft_areas", "draft_document", "draft_meeting"]

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]  # fmt: skip
_TENS = {"twent": 20, "thirt": 30, "fort": 40}
# "the tenth Plenary", "Twenty-first Plenary": releases before about 2015 spell the ordinal out.
_WORD_ORDINALS = {word: n for n, word in enumerate(_UNITS, start=1)} | {w: n for n, w in enumerate(_TEENS, start=10)}
_WORD_ORDINALS |= {f"{tens}ieth": value for tens, value in _TENS.items()}
_WORD_ORDINALS |= {f"{tens}y-{unit}": value + n for tens, value in _TENS.items() for n, unit in enumerate(_UNITS, 1)}
_ORDINAL = r"(?P<ordinal>\d{1,3}(?:st|nd|rd|th)|(?i:" + "|".join(sorted(_WORD_ORDINALS, key=len, reverse=True)) + "))"


def ordinal_value(words: str) -> int:
    return int(words[:-2]) if words[:1].isdigit() else _WORD_ORDINALS[words.lower()]


_ORDINAL_MEETING = re.compile(
    _ORDINAL + r" "
    r"(?P<kind>Plenary|(?:[A-Z][\w/&'-]* )*(?i:meeting|conference)|(?i:plenary session))"
    r"(?: of (?:the )?(?P<body>(?:[A-Z][\w&/'-]*|of|the|and|on|for)(?: (?:[A-Z][\w&/'-]*|of|the|and|on|for))*))?"
)
_TODAY = re.compile(r"(?i)\b(?:today|this (?:morning|afternoon|evening)|tonight)\b")
_HELD_IN = re.compile(r"\b(?:held|hosted) in (?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
_IN_CITY = re.compile(
    r"\bin (?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:today|this (?:morning|afternoon|evening)|tonight)\b"
)
_GENERAL_HEADING = re.compile(r"(?i)\bsign(?:ed|ing)?\b|\bagreements?\b|\bceremony\b")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")

ISSUER = "Government of the Hong Kong Special Administrative Region"


def draft_document(ctx: Context, file_name: str, from_html: bool, date_rule: str) -> dict[str, Any]:
    return {
        "slug": ctx.document_slug,
        "title": ctx.prepared.title or ctx.document_slug,
        "issuer": ISSUER,
        "published_on": ctx.published_on.isoformat(),
        "url": None,
        "file": file_name,
        "draft": {
            "confidence": 0.8,
            "reason": f"rule headline and date: title from the {'page' if from_html else 'first line'}, "
            f"issuer assumed, published_on from {date_rule}",
        },
    }


def draft_meeting(ctx: Context) -> Sentence | None:
    """The meeting the release reports: the first sentence naming an ordinal meeting held today."""
    title_city = _HELD_IN.search(ctx.prepared.title)
    for sentence in ctx.prepared.sentences:
        m = _ORDINAL_MEETING.search(sentence.plain)
        if not m or not _TODAY.search(sentence.plain):
            continue
        ordinal = ordinal_value(m["ordinal"])
        name = m.group().strip()
        if m["body"]:
            name = f"{m['ordinal']}{m.group()[len(m['ordinal']) :].split(' of ', 1)[0]} of the {m['body']}"
        name = name[:1].upper() + name[1:]
        city_match = _IN_CITY.search(sentence.plain) or title_city
        known = next((k for k in ctx.register.meetings if k.kind == str(ordinal) and best_match(name, [k], 80)), None)
        if known is not None:
            ctx.meeting = known.slug
            ctx.book.linked["meetings"] += 1
            return sentence
        if city_match is None:
            ctx.book.cannot_place(m.group(), "a meeting without the city it was held in", sentence.quote)
            continue
        suffix = "th" if 10 <= ordinal % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(ordinal % 10, "th")
        slug = ctx.book.slug("meetings", f"{ordinal}{suffix}-{m.group()[len(m['ordinal']) :].split(' of ', 1)[0]}")
        ctx.meeting = slug
        record = {
            "slug": slug,
            "ordinal": ordinal,
            "name": name,
            "held_on": ctx.published_on.isoformat(),
            "city": city_match["city"],
            "quote": sentence.quote,
        }
        ctx.book.add("meetings", record, 0.8, "ordinal meeting held today", m.group())
        return sentence
    return None


def _area_name(heading: str) -> str:
    return _PARENTHESIS.sub("", " ".join(heading.split())) or heading


def draft_areas(ctx: Context) -> None:
    """One area per section heading, linked to an existing area of that name or heading.

    A heading about the signing of agreements, or naming the meeting itself, is no field of
    co-operation: its section, and the text before the first heading, go to general co-operation."""
    general_heading: str | None = None
    meeting_heading = re.compile(_ORDINAL + r" (?i:plenary|meeting)")
    for index, section in enumerate(ctx.prepared.sections):
        heading = section.heading
        if meeting_heading.match(heading) or _GENERAL_HEADING.search(heading):
            general_heading = general_heading or heading
            continue
        name = _area_name(heading)
        known = best_match(name, ctx.register.areas, 90, scorer=fuzz.token_set_ratio)
        if known is not None:
            ctx.section_areas[index] = known.slug
            ctx.book.linked["areas"] += 1
            continue
        slug = ctx.book.slug("areas", name)
        ctx.section_areas[index] = slug
        first = next((s for s in ctx.prepared.sentences if s.section == index), None)
        summary = first.plain if first else f"The section {heading!r} of the release."
        record = {"slug": slug, "name": name, "heading": heading, "summary": summary[:300]}
        ctx.book.add("areas", record, 0.9, "section heading", heading)
    known = best_match("General co-operation", ctx.register.areas, 90)
    if known is not None:
        ctx.default_area = known.slug
        ctx.book.linked["areas"] += 1
    else:
        ctx.default_area = ctx.book.slug("areas", "general-co-operation")
        heading = general_heading or ctx.prepared.title_quote
        record = {
            "slug": ctx.default_area,
            "name": "General co-operation",
            "heading": heading,
            "summary": "The meeting itself and what belongs to no field of its own.",
        }
        ctx.book.add("areas", record, 0.6, "general area for text outside a field", heading)
    for index in range(len(ctx.prepared.sections)):
        ctx.section_areas.setdefault(index, ctx.default_area)
