"""Agreements: the items of a signing list, and "signed ... agreement" sentences, with parties.

A list item under a lead-in about signing ("Six co-operation agreements were signed after
the meeting:") is an agreement signed at the meeting, titled as written. In a sentence, the
words after "signed" (or "the signing of") up to the clause's end name it: a quoted title,
or a phrase holding "agreement", "memorandum of understanding", "arrangement" ... Its
parties are the bodies named before "signed" and after "with"; its date, a date phrase of
the sentence on or before the release's date.
"""

import re
from typing import Any

from rapidfuzz import fuzz

from app.draft.book import Context, best_match
from app.draft.clean import Sentence
from app.draft.dates import find_dates
from app.draft.organisations import organisation_key, organisations_in
from app.loader.spans import certain_by
from app.models.vocab import AgreementKind

__all__ = ["draft_agreements"]

_KIND_WORDS = (
    r"(?i:framework agreement|agreement|memorand(?:um|a) of understanding|memorandum|arrangement|MoU|protocol|accord"
    r"|letter of intent)"
)
_SIGNING = re.compile(r"(?i)\bsign(?:ed|s|ing)?\b|\bentered into\b|\brenew(?:ed|al of)\b")
_QUOTED = re.compile(
    r"\b(?:sign(?:ed|s|ing of)?|entered into|renew(?:ed|al of)) (?:the |a |an )?"
    r"[\"\u201c](?P<title>[^\"\u201d]{8,250})[\"\u201d]"
)
# "A co-operation agreement on ... was signed by the two sides"
_PASSIVE = re.compile(
    rf"(?:^|\b[Aa]n? |\b[Tt]he )(?P<title>(?:[\w'/-]+ ){{0,5}}?{_KIND_WORDS}(?: (?:on|for|between|of|in)\b[^,;.]*?)?)"
    r" (?:was|had been|has been) signed\b"
)
_PHRASE = re.compile(
    rf"\b(?i:sign(?:ed|s|ing of)?) (?i:the |a |an |two |three |several )?(?P<title>(?:[\w'/-]+ ){{0,5}}?{_KIND_WORDS}s?"
    r"(?: (?:on|for|between|in|of|to promote|regarding|concerning)\b[^,;.]*?)?)"
    r"(?=,|;|\.|$| to (?!promote\b)| in order| with a view| with the | which | in (?:[A-Z]|\d)| on [A-Z]"
    r"| this year| today"
    rf"| and (?:the |a )?(?:[A-Z][\w'/-]* )*{_KIND_WORDS})",
)
_NAMED = re.compile(
    r"\b(?P<title>(?:[A-Z][\w'/-]* )*(?:Agreement|Memorandum of Understanding|Arrangement|Accord)"
    r" (?:on|for|between|of|in)\b[^;,.]*?)(?=,|;|\.|$| and the (?:[A-Z]))"
)
_LEAD_IN = re.compile(r"(?i)\bsign")
_TRAILING = re.compile(r"(?:[;,.]\s*(?:and)?|\s+and)\s*$")


def _kind(title: str) -> AgreementKind:
    lowered = title.lower()
    if "memorand" in lowered or re.search(r"\bmou\b", lowered):
        return AgreementKind.MEMORANDUM_OF_UNDERSTANDING
    if "framework agreement" in lowered:
        return AgreementKind.FRAMEWORK_AGREEMENT
    if "arrangement" in lowered and "agreement" not in lowered:
        return AgreementKind.ARRANGEMENT
    return AgreementKind.AGREEMENT


def _party_slugs(ctx: Context, words: str) -> list[str]:
    slugs: list[str] = []
    for _, name, _ in organisations_in(words):
        slug = ctx.organisations.get(name) or _known_organisation(ctx, name)
        if slug and slug not in slugs:
            slugs.append(slug)
    if not slugs:  # "Guangdong and Hong Kong signed": the two governments
        for place, name in (("Guangdong", "Guangdong Provincial Government"), ("Hong Kong", "HKSAR Government"),
                            ("HKSAR", "HKSAR Government"), ("Macao", "Macao SAR Government")):  # fmt: skip
            if re.search(rf"\b{place}\b", words):
                slug = _known_organisation(ctx, name)
                if slug and slug not in slugs:
                    slugs.append(slug)
    return slugs


def _known_organisation(ctx: Context, name: str) -> str | None:
    key = organisation_key(name)
    for written, slug in ctx.organisations.items():
        if slug and organisation_key(written) == key:
            return slug
    known = best_match(name, ctx.register.organisations, 90)
    return known.slug if known else None


def _capitalised(title: str) -> str:
    return title[:1].upper() + title[1:]


class _Agreements:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.titles: list[str] = []

    def add(self, sentence: Sentence, title_start: int, title: str, parties: list[str], rule: str) -> None:
        ctx = self.ctx
        article = re.match(r"(?i)(?:a|an|the) ", title)
        if article:
            title, title_start = title[article.end() :], title_start + article.end()
        title = _TRAILING.sub("", title.strip())
        if len(title.split()) < 2 or any(fuzz.ratio(title.lower(), t.lower()) >= 90 for t in self.titles):
            return
        self.titles.append(title)
        known = best_match(title, ctx.register.agreements, 90)
        if known is not None:
            ctx.book.linked["agreements"] += 1
            return
        quote = ctx.prepared.text[title_start : title_start + len(title)]
        record: dict[str, Any] = {"slug": ctx.book.slug("agreements", title)}
        shown = title
        if len(title.split()) <= 5 and len(parties) >= 2 and " between " not in title:
            names = [n for n, s in ctx.organisations.items() if s in parties]
            shown = f"{_capitalised(title)} between {' and '.join(dict.fromkeys(names))}" if names else title
        record.update(title=_capitalised(shown), kind=_kind(title).value, area=ctx.area_of(sentence))
        signed = self.signed(sentence)
        at_meeting = re.search(r"(?i)\b(?:after|at|during|before) the (?:meeting|plenary|conference)\b", sentence.plain)
        if ctx.meeting and (rule == "signing list" or at_meeting):
            record["meeting"] = ctx.meeting
        if signed is not None:
            record["signed"] = ctx.prepared.text[signed[0] : signed[1]]
            ctx.agreement_date_spans.append(signed)
        if parties:
            record["parties"] = parties
        record["quote"] = sentence.quote if rule != "signing list" else quote
        ctx.book.add("agreements", record, 0.85 if rule == "signing list" else 0.7, rule, title)

    def signed(self, sentence: Sentence) -> tuple[int, int] | None:
        for mention in find_dates(self.ctx.prepared.plain, sentence.start, sentence.end, self.ctx.published_on):
            if mention.resolved is not None and certain_by(mention.resolved) <= self.ctx.published_on:
                return mention.start, mention.end
        return None


def draft_agreements(ctx: Context) -> None:
    agreements = _Agreements(ctx)
    for index, item in enumerate(ctx.prepared.bullets):
        lead_in = ctx.prepared.lines_before_bullets.get(index, "")
        if _LEAD_IN.search(lead_in) or re.search(rf"(?i){_KIND_WORDS}", item.plain[:60]):
            parties = _party_slugs(ctx, item.plain) if " between " in item.plain else []
            title = _TRAILING.sub("", item.plain.strip())
            agreements.add(item, item.start, title, parties, "signing list")
    for sentence in ctx.prepared.sentences:
        if not _SIGNING.search(sentence.plain):
            continue
        plain = sentence.plain
        found = [(m.start("title"), m["title"]) for m in _QUOTED.finditer(plain)]
        found += [(m.start("title"), m["title"]) for m in _NAMED.finditer(plain)]
        if not found:
            found = [(m.start("title"), m["title"]) for m in _PHRASE.finditer(plain)]
        if not found:
            found = [(m.start("title"), m["title"]) for m in _PASSIVE.finditer(plain)]
        for at, title in sorted(found):
            sign = _SIGNING.search(plain)
            assert sign is not None
            subject = plain[: sign.start()]
            after = plain[at + len(title) :]
            with_ = re.search(r"\bwith (?P<who>.+?)(?: in | on |[,.;]|$)", after)
            parties = _party_slugs(ctx, subject + (f" {with_['who']}" if with_ else ""))
            if " between " in title:
                parties = _party_slugs(ctx, title) or parties
            agreements.add(sentence, sentence.start + at, title, parties, "signed ... agreement")
