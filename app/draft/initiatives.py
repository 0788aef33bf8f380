"""Initiatives from commitment sentences; statements when the register already tracks them.

A sentence that names something the register holds (its title, fuzzily) is about that
record: its verbs give a status statement (and a target reached, when the status is
delivered and a target of the record is still open), its figures and dates attach to it.
Otherwise a sentence with a commitment verb (will, plans to, launched, established,
commenced ...) gives a new initiative: named in quotation marks, by a capitalised name
ending in a word such as Scheme, Programme, Institute, Platform, or else by the object of
its verb ("commence the first phase of development of San Tin Technopole").
"""

import re
from typing import Any

from rapidfuzz import fuzz, utils

from app.draft.book import Context
from app.draft.clean import Sentence
from app.draft.dates import find_dates
from app.draft.organisations import organisations_in
from app.draft.register import Known
from app.loader.spans import certain_by
from app.models.vocab import COMPLETED_STATUSES, InitiativeKind, InitiativeStatus, MilestoneKind

__all__ = ["draft_initiatives"]

# Order matters: the first rule whose words the sentence holds gives the status.
_STATUS_RULES: list[tuple[str, InitiativeStatus]] = [
    (r"delayed|suspended|postponed|not yet (?:commenced|started|begun|launched|opened)|halted|deferred|"
     r"behind schedule|put on hold", InitiativeStatus.STALLED),
    (r"cancell?ed|abandoned|shelved|discontinued|withdrawn|terminated|dropped", InitiativeStatus.DROPPED),
    (r"completed|concluded|successfully (?:held|conducted|organised|hosted|completed)|(?:was|were) held",
     InitiativeStatus.COMPLETED),
    (r"is (?:actively |proactively |now )?(?:taking forward|discussing|finalising|preparing|exploring|developing|"
     r"building|studying|planning|consulting)|under construction|being (?:developed|prepared|built|planned)|"
     r"in progress|under way", InitiativeStatus.IN_PROGRESS),
    (r"continues? to|will continue|ha(?:s|ve) been (?:actively |proactively |steadily )?\w+ing\b|"
     r"all along|steady development|ongoing", InitiativeStatus.ONGOING),
    (r"launched|established|set up|opened|began|begun|commenced|started|implemented|rolled out|introduced|"
     r"came into (?:operation|effect)|in operation|now running|has been extended|was extended",
     InitiativeStatus.LAUNCHED),
    (r"will|plans? to|planning to|expects? to|aims? to|intends? to|to be (?:established|launched|set up)|"
     r"propos(?:es|ed) to|strives? to|explore", InitiativeStatus.PLANNED),
]  # fmt: skip
_STATUS = [(re.compile(rf"(?i)\b(?:{words})\b"), status) for words, status in _STATUS_RULES]
_NAME_WORDS: list[tuple[str, InitiativeKind]] = [
    ("Scheme|Schemes|Voucher", InitiativeKind.SCHEME),
    ("Programme|Programmes|Program|Series", InitiativeKind.PROGRAMME),
    ("Platform|Connect|Hub", InitiativeKind.PLATFORM),
    ("Institute|Centre|Centres|Base|Bases|Alliance|Laboratory|Campus", InitiativeKind.INSTITUTION),
    ("Plan|Blueprint|Strategy|Outline", InitiativeKind.PLAN),
    ("Zone|Park|Technopole|Metropolis|Port", InitiativeKind.ZONE),
    ("Examination|Examinations|Test", InitiativeKind.EXAMINATION),
    ("Festival|Games|Summit|Expo|Forum|Week|Competition|Fair|Conference", InitiativeKind.EVENT),
    ("Mechanism|Network", InitiativeKind.MECHANISM),
    ("Travel|Policy|Initiative|Fund", InitiativeKind.POLICY),
    ("Pilot|Project|Railway", InitiativeKind.PROJECT),
]
_NAME_KEYWORD = re.compile(r"\b(?:" + "|".join(w for w, _ in _NAME_WORDS) + r")\b")
_CAPITALISED = re.compile(r"(?:[A-Z][\w'&\-/•]*|\d{1,3}(?:st|nd|rd|th)|\d{4})(?: (?:of|for|and|in|on|the|with|•) ?"
                          r"(?:the )?(?:[A-Z][\w'&\-/]*|\d{4})| [A-Z][\w'&\-/]*| \([A-Z][^()]*\))*")  # fmt: skip
_QUOTED = re.compile(r"[\"\u201c](?P<name>[^\"\u201d]{3,120})[\"\u201d]")
_OBJECT = re.compile(
    r"(?i:\b(?:(?:establish|launch|set up|open|commence|introduce|implement|develop|build|construct|organise|hold|"
    r"announce|roll out|create|provide|expand|extend|take forward|formulate|strengthen|explore|foster)(?:e?d|s|ing)?"
    r"|(?:promot|advanc|finalis)(?:e|es|ed|ing)|(?:establishment|launch|roll-out|setting up) of)) "
    r"(?P<object>(?:the |a |an )?[^,;.\"]{6,110}?)"
    r"(?=,|;|\.|$| by | in (?:the )?(?:[A-Z0-9]|first|second|third|fourth)| later | this year| next year| with a view"
    r"| so as| so that| in order| under | through | to (?:the|further|enable|provide|support|strengthen|promote)\b"
    r"| and (?:will|to|has|have)\b| from | since | starting "
    r"| (?:leveraging|using|covering|providing|including|featuring|involving|offering|aiming|focusing|enabling) )"
)
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_TRAILING_MONTH = re.compile(rf" (?:in|on|from|since) (?:{_MONTH_NAMES})(?: \d{{4}})?$")
# "... Institute (GBAICTI) in the Hetao": where it will be, not part of its name.
_IN_A_PLACE = re.compile(r" in (?:the )?(?:Hetao|Qianhai|Nansha|Hengqin|Futian|Shenzhen|Guangzhou|Zhuhai|Macao|Loop)$")
_VAGUE = re.compile(
    r"(?i)(?:relevant|various|related|further|closer|better|high-quality development|high-level|"
    r"co-operation (?:between|with)|development of the|synergies|convenience|flow of|mutual development|"
    r"people and|detailed discussions|region's|innovative applications)\b"
)
_QUANTITY = re.compile(r"(?i)(?:a )?(?:new )?(?:round|series|number|range|variety|set) of\b")
_MEETING = re.compile(r"\d{1,3}(?:st|nd|rd|th) (?:Plenary|[\w/ -]*Meeting)")
_ORG_WORD = re.compile(r"\b(?:Government|Bureau|Department|Authority|Council|Committee|Commission|University|Hospital|"
                       r"Ministry|Administration|Office)\b")  # fmt: skip


def _status(words: str) -> InitiativeStatus | None:
    for pattern, status in _STATUS:
        if pattern.search(words):
            return status
    return None


def _kind(title: str) -> InitiativeKind:
    for words, kind in _NAME_WORDS:
        if re.search(rf"\b(?:{words})\b", title):
            return kind
    return InitiativeKind.PROJECT


def _plain_title(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", title).replace('"', "").strip()


_STOPWORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "with", "by", "at", "from", "new"}


def _content_words(words: str) -> set[str]:
    return {w.rstrip("s") for w in utils.default_process(words).split() if w not in _STOPWORDS}


def _linked(ctx: Context, sentence: Sentence) -> Known | None:
    """The register's initiative the sentence is about: (nearly) all the content words of its
    title in the sentence, close together; the fullest and longest title wins."""
    best: tuple[float, int, Known] | None = None
    words = _content_words(sentence.plain)
    processed = utils.default_process(sentence.plain)
    for known in ctx.register.initiatives:
        title = _plain_title(known.names[0])
        content = _content_words(title)
        if len(content) < 2:
            continue
        coverage = len(content & words) / len(content)
        if coverage < 0.8 or fuzz.partial_ratio(utils.default_process(title), processed) < 60:
            continue
        if best is None or (coverage, len(content)) > best[:2]:
            best = (coverage, len(content), known)
    return best[2] if best else None


def _names(sentence: Sentence) -> list[tuple[int, str, str]]:
    """(position, name, rule) of the initiatives a sentence names."""
    found: list[tuple[int, str, str]] = []
    for m in _QUOTED.finditer(sentence.plain):
        name = m["name"].strip()
        if name[:1].isupper() and "," not in name and not re.search(r"(?i)agreement|memorand", name):
            found.append((m.start("name"), name, "a name in quotation marks"))
    for m in _CAPITALISED.finditer(sentence.plain):
        whole = re.sub(_TRAILING_MONTH, "", re.sub(r"^(?:The|the) ", "", m.group()))
        offset = m.start() + m.group().find(whole)
        for name in whole.split(" and the "):  # "the X Scheme and the Y Scheme": two names
            at = offset + whole.find(name)
            if not _NAME_KEYWORD.search(name) or _ORG_WORD.search(name) or len(name.split()) < 2:
                continue
            if _MEETING.match(name) or any(start <= at < start + len(n) + 2 for start, n, _ in found):
                continue
            found.append((at, _IN_A_PLACE.sub("", name), "a capitalised name"))
    return found


def _objects(sentence: Sentence) -> list[tuple[int, str]]:
    found = []
    for m in _OBJECT.finditer(sentence.plain):
        words = re.sub(r"^(?i:the|a|an|\d[\d ,]*) ", "", m["object"]).strip()
        if re.match(
            r"(?i)(?:in|on|at|by|from|to|with|for|that|this|these|its|their|since|during|after|before)\b", words
        ):
            continue
        if _VAGUE.match(words):
            continue  # the filler of any release: "relevant work", "high-quality development of the GBA"
        words = re.sub(r"(?i)^initiatives such as (?:the )?", "", words)
        if len(words.split()) < 2 or re.match(r"(?i)(?:co-operation|collaboration|communication|exchanges?)$", words):
            continue
        found.append((m.start("object") + m["object"].find(words), words))
    return found[:3]


def _lead(ctx: Context, sentence: Sentence, at: int) -> str | None:
    for _, name, _ in organisations_in(sentence.plain[:at]):
        slug = ctx.organisations.get(name)
        if slug:
            return slug
    return ctx.issuer_organisation


def draft_initiatives(ctx: Context) -> None:
    titles: dict[str, str] = {}  # a normalised title -> slug
    for sentence in ctx.prepared.sentences:
        known = _linked(ctx, sentence)
        if known is not None:
            _statements(ctx, sentence, known)
            continue
        status = _status(sentence.plain)
        names = _names(sentence)
        if status is not None:
            # "commence the first phase of development of San Tin Technopole": the object is the
            # commitment; a name inside it is only where it happens.
            had_names = bool(names)
            for at, words in _objects(sentence):
                inside = [n for n in names if at <= n[0] < at + len(words)]
                if inside and (words[:1].isupper() or _QUANTITY.match(words)):
                    continue  # "a new round of the X Scheme": the name is the commitment
                if words[:1].islower() or not had_names:
                    names = [n for n in names if n not in inside]
                    names.append((at, _capitalise(words), "the object of a commitment verb"))
            names.sort()
        for at, name, rule in names[:3]:
            key = utils.default_process(_plain_title(name))
            if any(key in k for k in titles if len(key.split()) <= 3):
                continue  # "the Pilot Scheme": a short name of one named before
            same = next((slug for k, slug in titles.items() if fuzz.token_sort_ratio(k, key) >= 90), None)
            if same is not None:
                ctx.initiative_of_sentence.setdefault(sentence.start, same)
                continue
            slug = ctx.book.slug("initiatives", _plain_title(name))
            titles[key] = slug
            ctx.initiative_of_sentence.setdefault(sentence.start, slug)
            record: dict[str, Any] = {
                "slug": slug,
                "area": ctx.area_of(sentence),
                "title": name,
                "summary": sentence.plain[:300],
                "kind": _kind(name).value,
                "status": (status or InitiativeStatus.ONGOING).value,
                "status_quote": sentence.quote,
                "quote": sentence.quote,
            }
            lead = _lead(ctx, sentence, at)
            if lead:
                record["lead"] = lead
            places = list(dict.fromkeys(s for n, s in ctx.places.items() if n in sentence.plain))
            if places:
                record["places"] = places
            confidence = (0.8 if rule != "the object of a commitment verb" else 0.55) - (0.15 if status is None else 0)
            ctx.book.add("initiatives", record, confidence, rule, name)


def _capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]


def _statements(ctx: Context, sentence: Sentence, known: Known) -> None:
    """What a sentence about a tracked initiative says of it: a status, a target reached."""
    ctx.initiative_of_sentence[sentence.start] = known.slug
    ctx.book.linked["initiatives"] += 1
    status = _status(sentence.plain)
    if status is None or status is InitiativeStatus.PLANNED:
        return  # a plan restated, or a new target: its dates become milestones of the record
    when = None
    for mention in find_dates(ctx.prepared.plain, sentence.start, sentence.end, ctx.published_on):
        if mention.resolved is not None and certain_by(mention.resolved) <= ctx.published_on:
            when = ctx.prepared.text[mention.start : mention.end]
            break
    if ctx.register.statuses.get(known.slug) != status.value or when:
        record: dict[str, Any] = {"initiative": known.slug, "status": status.value}
        if when:
            record["when"] = when
        record["quote"] = sentence.quote
        words = f"{known.names[0]} ... {status.value}"
        already = any(d.record.get("initiative") == known.slug for d in ctx.book.section("status_updates"))
        if not already:
            ctx.book.add("status_updates", record, 0.7, "a tracked initiative's status", words)
            if when:
                ctx.reached_sentences.add(sentence.start)
    if status in (InitiativeStatus.LAUNCHED, *COMPLETED_STATUSES):
        _target_reached(ctx, sentence, known, when)


def _target_reached(ctx: Context, sentence: Sentence, known: Known, when: str | None) -> None:
    reached = {d.record["milestone"] for d in ctx.book.section("targets_reached")}
    open_targets = [
        m.slug
        for m in ctx.register.milestones
        if m.parent == known.slug
        and m.kind == MilestoneKind.TARGET
        and m.slug not in ctx.register.targets_reached
        and m.slug not in ctx.register.superseded
        and m.slug not in reached
    ]
    if not open_targets:
        return
    record: dict[str, Any] = {"milestone": open_targets[0]}
    if when:
        record["when"] = when
    record["quote"] = sentence.quote
    ctx.book.add("targets_reached", record, 0.65, "a delivered target", sentence.plain[:80])
