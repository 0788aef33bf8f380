"""Officials, their posts, and their part in the meeting, from "the <post>, <honorific> <name>".

A known official (same name in the register) is referred to, not defined again; in a post
the register does not hold for them, they get a new post, which replaces a post of theirs
with a like title ("Deputy Secretary for Justice" -> "Secretary for Justice").
"""

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from app.draft.book import Context, best_match
from app.draft.clean import Sentence
from app.draft.organisations import organisation_key
from app.draft.register import KnownOfficial
from app.models.vocab import Honorific, ParticipationRole, Side

__all__ = ["draft_people"]

_HONORIFICS = {"Mr": Honorific.MR, "Ms": Honorific.MS, "Miss": Honorific.MISS, "Dr": Honorific.DR,
               "Professor": Honorific.PROFESSOR, "Prof": Honorific.PROFESSOR, "Mrs": None}  # fmt: skip
# "Mr Chan Kwok-ki", "Mr Erick Tsang Kwok-wai", "Mr C Y Leung"
_NAME = r"(?P<name>(?:[A-Z] ){0,2}[A-Z][a-z]+(?:-[a-z]+)?(?: [A-Z][a-z]+(?:-[a-z]+)?){0,3})"
_PERSON = re.compile(rf"\b(?P<hon>Mr|Ms|Mrs|Miss|Dr|Professor|Prof)\.? {_NAME}(?![\w-])")
_HEAD_OF_STATE = re.compile(rf"\b(?P<hon>President|Premier|Vice-Premier|Vice-President) {_NAME}(?![\w-])")
_CONNECTORS = {"of", "for", "the", "and", "in", "on"}
_ROLES: list[tuple[re.Pattern[str], ParticipationRole]] = [
    (re.compile(r"(?i)\bco-chair|\bdelegations? (?:was|were) led by\b"), ParticipationRole.CO_CHAIR),
    (re.compile(r"(?i)\bdelegation\b.*\b(?:included|comprised|members?)\b|\bmembers? of the\b.*\bdelegation"),
     ParticipationRole.DELEGATION_MEMBER),
    (re.compile(r"(?i)\bspecial guests?\b"), ParticipationRole.SPECIAL_GUEST),
]  # fmt: skip
_RANK = list(ParticipationRole)


@dataclass
class _Mention:
    sentence: Sentence
    start: int  # of the post (or the name) in the sentence
    post: str | None
    honorific: Honorific | None
    name: str
    words: str  # the quote: "the <post>, <honorific> <name>", verbatim


def _post_before(plain: str, end: int) -> int | None:
    """Where the post that ends at `end` (just before ", Mr ...") starts, or None."""
    tokens = list(re.finditer(r"\([^)]*\)|[\w'&/-]+|[,;:.]", plain[:end]))
    start = None
    index = len(tokens) - 1
    while index >= 0:
        word = tokens[index].group()
        if word == ",":
            before = tokens[index - 1].group() if index else ""
            after = tokens[index + 1].group() if index + 1 < len(tokens) else ""
            if not (before[:1].isupper() and after[:1].isupper()) or re.search(
                rf"{_PERSON.pattern}\s*$", plain[: tokens[index].start()]
            ):
                break
        elif word in ";:.":
            break
        elif word[:1].isupper() or word.startswith("("):
            start = tokens[index].start()
        elif word not in _CONNECTORS:
            break
        index -= 1
    while start is not None and plain[start:].split(" ", 1)[0] in ("The", "the", "and", "of"):
        nxt = plain.find(" ", start)
        start = nxt + 1 if nxt >= 0 and nxt + 1 < end else None
    return start


def _mentions(sentence: Sentence) -> list[_Mention]:
    found: list[_Mention] = []
    plain = sentence.plain
    for m in _PERSON.finditer(plain):
        post, start = None, m.start()
        if plain[: m.start()].endswith(", "):
            post_start = _post_before(plain, m.start() - 2)
            if post_start is not None:
                post, start = plain[post_start : m.start() - 2], post_start
        words = sentence.quote[start : m.end()]
        found.append(_Mention(sentence, start, post, _HONORIFICS[m["hon"]], m["name"], words))
    for m in _HEAD_OF_STATE.finditer(plain):
        honorific = Honorific.PRESIDENT if m["hon"] == "President" else None
        words = sentence.quote[m.start() : m.end()]
        found.append(
            _Mention(sentence, m.start(), f"{m['hon']} of the Central Government", honorific, m["name"], words)
        )
    return found


def _title_and_body(post: str) -> tuple[str, bool, str | None]:
    """'Acting Secretary for X' -> ('Secretary for X', True, None); 'Governor of Guangdong
    Province' -> ('Governor', False, 'Guangdong Province')."""
    acting = post.startswith("Acting ")
    post = post.removeprefix("Acting ")
    title, sep, body = post.partition(" of the ") if " of the " in post else post.partition(" of ")
    if sep and " for " not in title:  # "Secretary for X" names its office itself
        return title, acting, re.sub(r"\s*\([^)]*\)$", "", body)
    return post, acting, None


def _organisation(ctx: Context, body: str | None) -> str | None:
    if body is None:
        return ctx.issuer_organisation
    candidates = [
        body,
        f"{body} Government",
        f"Government of {body}",
        body.replace("Province", "Provincial Government"),
    ]
    keys = {organisation_key(c) for c in candidates}
    for name, slug in ctx.organisations.items():
        if slug and organisation_key(name) in keys:
            return slug
    for known in ctx.register.organisations:
        if keys & {organisation_key(n) for n in known.names}:
            return known.slug
    # "Liaison Office of the Central People's Government in the HKSAR": the longest body named first.
    body_key = organisation_key(body)
    prefixes = [
        (len(organisation_key(n)), s)
        for n, s in ctx.organisations.items()
        if s and body_key.startswith(organisation_key(n))
    ]
    prefixes += [
        (len(organisation_key(n)), k.slug)
        for k in ctx.register.organisations
        for n in k.names
        if body_key.startswith(organisation_key(n))
    ]
    if prefixes:
        return max(prefixes)[1]
    found = best_match(body, ctx.register.organisations, 88)
    return found.slug if found else None


_SIDES: list[tuple[re.Pattern[str], Side]] = [
    (re.compile(r"(?i)guangdong"), Side.GUANGDONG),
    (
        re.compile(
            r"(?i)\bcentral\b|state council|president|premier|liaison office|communist party of china|work office"
        ),
        Side.CENTRAL,
    ),
    (re.compile(r"HKSAR|Hong Kong|hksar"), Side.HKSAR),
]


def _side(ctx: Context, post: str, organisation: str | None, before: str = "") -> Side | None:
    """From the post's words, else the delegation just named ("the Guangdong delegation was
    led by the Governor ..."), else the organisation."""
    for pattern, side in _SIDES:
        if pattern.search(post):
            return side
    at = before.rfind(" delegation")
    named = list(re.finditer(r"HKSAR|Hong Kong|Guangdong|Central", before[max(0, at - 60) : at])) if at >= 0 else []
    if named:
        who = named[-1].group()
        return Side.GUANGDONG if who == "Guangdong" else Side.CENTRAL if who == "Central" else Side.HKSAR
    if organisation is not None and organisation == ctx.issuer_organisation:
        return Side.HKSAR
    for pattern, side in _SIDES:
        if organisation and pattern.search(organisation):
            return side
    return None


def _role(sentence: Sentence, mention: _Mention, previous_end: int) -> ParticipationRole:
    if re.search(r"(?i)\bmet with\b", sentence.plain[previous_end : mention.start]):
        return ParticipationRole.MET_WITH
    for pattern, role in _ROLES:
        if pattern.search(sentence.plain):
            return role
    return ParticipationRole.MENTIONED


def _known(ctx: Context, name: str) -> KnownOfficial | None:
    for official in ctx.register.officials:
        if fuzz.token_sort_ratio(official.name, name, processor=utils.default_process) >= 95:
            return official
    return None


def draft_people(ctx: Context, sentences: list[Sentence]) -> None:
    officials: dict[str, dict[str, Any]] = {}  # slug -> record (new officials)
    participation: dict[str, tuple[ParticipationRole, Side, str]] = {}
    for sentence in sentences:
        previous_end = 0
        for mention in sorted(_mentions(sentence), key=lambda m: m.start):
            role = _role(sentence, mention, previous_end)
            previous_end = mention.start + len(mention.words)
            known = _known(ctx, mention.name)
            slug = known.slug if known else None
            if slug is None and mention.post is None:
                # "Mr Lee": a person named in full before, or too little to tell who it is
                slug = next((s for s, r in officials.items() if r["name"].split()[-1] == mention.name), None)
                if slug is None and len(mention.name.split()) < 2:
                    continue
            if slug is None:
                existing = next((s for s, r in officials.items() if r["name"] == mention.name), None)
                slug = existing or ctx.book.slug("officials", mention.name)
                if existing is None:
                    record: dict[str, Any] = {"slug": slug, "name": mention.name}
                    if mention.honorific is not None:
                        record["honorific"] = mention.honorific.value
                    record["posts"] = []
                    officials[slug] = record
                    ctx.book.add("officials", record, 0.8 if mention.post else 0.6, "honorific and name", mention.words)
            elif slug not in participation:
                ctx.book.linked["officials"] += 1
            side = None
            if mention.post:
                title, acting, body = _title_and_body(mention.post)
                organisation = _organisation(ctx, body)
                before = sentence.plain[max(0, mention.start - 80) : mention.start]
                side = _side(ctx, mention.post, organisation, before)
                if organisation is not None:
                    _post(ctx, officials.get(slug), known, slug, title, acting, organisation, mention)
            if ctx.meeting and side is not None:
                held = participation.get(slug)
                if held is None or _RANK.index(role) < _RANK.index(held[0]):
                    participation[slug] = (role, side, mention.words if role is not ParticipationRole.CO_CHAIR
                                           else sentence.quote)  # fmt: skip
    for slug, (role, side, quote) in participation.items():
        record = {"official": slug, "meeting": ctx.meeting, "role": role.value, "side": side.value, "quote": quote}
        ctx.book.add("participations", record, 0.7, f"{role.value} in the meeting", quote)


def _post(
    ctx: Context,
    new: dict[str, Any] | None,
    known: KnownOfficial | None,
    slug: str,
    title: str,
    acting: bool,
    organisation: str,
    mention: _Mention,
) -> None:
    post: dict[str, Any] = {"title": title, "organisation": organisation}
    if acting:
        post["acting"] = True
    if new is not None:
        if all(p["title"] != title for p in new["posts"]):
            new["posts"].append({**post, "quote": mention.words})
        return
    assert known is not None
    if any(t == title for t, _ in known.posts) or any(
        d.record.get("official") == slug and d.record["title"] == title for d in ctx.book.section("posts")
    ):
        return  # a post the register (or this draft) already holds for them
    like = [(t, o) for t, o in known.posts if fuzz.token_set_ratio(t, title) >= 85]
    if like:
        post["organisation"] = like[-1][1]
        post["replaces"] = {"title": like[-1][0], "organisation": like[-1][1]}
    record = {"official": slug, **post, "quote": mention.words}
    ctx.book.add("posts", record, 0.7, "a known official in a new post", mention.words)
