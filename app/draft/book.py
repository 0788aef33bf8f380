"""What a draft collects: records with their confidence and reason, links to the register,
and what could not be placed; plus the slugs they take."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process, utils

from app.draft.clean import Prepared, Sentence
from app.draft.register import Known, Register
from app.loader.junk import junk_in

__all__ = ["Book", "Context", "Drafted", "best_match", "slugify"]

_SLUG_LENGTH = 60


def slugify(words: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "record"
    if len(slug) > _SLUG_LENGTH:
        slug = slug[:_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug


def best_match(name: str, known: list[Known], threshold: float, scorer: Any = fuzz.token_sort_ratio) -> Known | None:
    """The record of `known` whose name is closest to `name`, if it scores `threshold` or more."""
    choices = {(i, n): n for i, record in enumerate(known) for n in record.names}
    if not choices or not name.strip():
        return None
    found = process.extractOne(name, choices, scorer=scorer, processor=utils.default_process, score_cutoff=threshold)
    return None if found is None else known[found[2][0]]


@dataclass
class Drafted:
    section: str
    record: dict[str, Any]
    confidence: float
    reason: str

    def as_yaml(self) -> dict[str, Any]:
        return {**self.record, "draft": {"confidence": round(self.confidence, 2), "reason": self.reason}}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@dataclass(frozen=True)
class Unplaced:
    expression: str
    reason: str
    sentence: str


@dataclass
class Book:
    records: list[Drafted] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    linked: Counter[str] = field(default_factory=Counter)  # kind -> mentions linked to the register
    taken: dict[str, set[str]] = field(default_factory=dict)  # section -> slugs in use

    def add(self, section: str, record: dict[str, Any], confidence: float, rule: str, words: str) -> Drafted | None:
        """Record a draft; one the loader would refuse for junk in it is listed as unplaced instead."""
        junk = next((j for value in _strings(record) if (j := junk_in(value))), None)
        if junk is not None:
            self.cannot_place(str(record.get("slug") or record.get("title") or section), junk, words)
            return None
        words = " ".join(words.replace("\ufffd", " ").split())
        if len(words) > 100:
            words = words[:97] + "..."
        drafted = Drafted(section, record, confidence, f"rule {rule}: {words!r}")
        self.records.append(drafted)
        return drafted

    def section(self, name: str) -> list[Drafted]:
        return [d for d in self.records if d.section == name]

    def slug(self, section: str, words: str) -> str:
        """A new slug for `section`, from `words`, unused by this draft and the register."""
        taken = self.taken.setdefault(section, set())
        base = slugify(words)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    def cannot_place(self, expression: str, reason: str, sentence: str) -> None:
        self.unplaced.append(Unplaced(expression, reason, " ".join(sentence.split())))


@dataclass
class Context:
    """One drafting run: the prepared text, its date, the register, what is drafted so far."""

    prepared: Prepared
    published_on: date
    register: Register
    book: Book
    document_slug: str
    meeting: str | None = None  # the slug of the meeting the release reports
    section_areas: dict[int, str] = field(default_factory=dict)  # section index -> area slug
    default_area: str = "general-co-operation"
    organisations: dict[str, str] = field(default_factory=dict)  # a name as written -> slug
    initiative_of_sentence: dict[int, str] = field(default_factory=dict)  # sentence start -> initiative slug
    agreement_date_spans: list[tuple[int, int]] = field(default_factory=list)
    issuer_organisation: str | None = None
    places: dict[str, str] = field(default_factory=dict)  # a place's name -> slug (drafted or known)
    reached_sentences: set[int] = field(default_factory=set)  # starts of sentences a statement dates

    def area_of(self, sentence: Sentence) -> str:
        return self.section_areas.get(sentence.section, self.default_area)

    def __post_init__(self) -> None:
        reg = self.register
        for section, known in (
            ("areas", reg.areas),
            ("places", reg.places),
            ("organisations", reg.organisations),
            ("meetings", reg.meetings),
            ("initiatives", reg.initiatives),
            ("agreements", reg.agreements),
            ("metrics", reg.series),
            ("milestones", reg.milestones),
        ):
            self.book.taken.setdefault(section, set()).update(k.slug for k in known)
        self.book.taken.setdefault("officials", set()).update(o.slug for o in reg.officials)
        self.book.taken["metrics"].update(reg.metric_slugs)
