"""Organisations and places named in the text, linked to the register's or proposed as new.

An organisation is a run of capitalised words (with "of", "for", "and", "on", "the" inside)
holding a word that names a body: Government, Bureau, Department, Authority, Council,
Office, Committee, University, Hospital ... A place is a name of the Greater Bay Area's
gazetteer below (its cities, and the districts and zones co-operation texts name), or a
place the register already holds.
"""

import re
from typing import Any

from app.draft.book import Context, best_match
from app.draft.clean import Sentence
from app.models.vocab import Jurisdiction, OrganisationKind, PlaceKind

__all__ = ["draft_organisations", "draft_places", "organisation_key", "organisations_in"]

_KINDS: list[tuple[str, OrganisationKind]] = [
    (r"Government|State Council|Municipal People's Government", OrganisationKind.GOVERNMENT),
    (r"Communist Party|CPC|Party Committee", OrganisationKind.PARTY_BODY),
    (r"University|College|Polytechnic", OrganisationKind.UNIVERSITY),
    (r"Hospital", OrganisationKind.HOSPITAL),
    (r"Committee|Commission|Group|Taskforce|Task Force|Joint Conference", OrganisationKind.COMMITTEE),
    (r"Authority|Council|Board|Corporation", OrganisationKind.STATUTORY_BODY),
    (r"Bureau|Department|Office|Ministry|Administration|Agency|Customs|Police", OrganisationKind.DEPARTMENT),
    (r"Association|Federation|League|Chamber|Society|Foundation|Bank", OrganisationKind.OTHER),
]
_KEYWORD = re.compile(r"\b(?:" + "|".join(pattern for pattern, _ in _KINDS) + r")\b")
_WORD = r"(?:[A-Z][\w'&\-/]*|\d{1,3}(?:st|nd|rd|th)|[A-Z]{2,})"
_CONNECTOR = r"(?:of|for|and|on|the|of the|and the|on the|for the)"
_SPAN = re.compile(rf"{_WORD}(?:\s(?:{_CONNECTOR}\s)?{_WORD})*")
_MEETING_LEAD = re.compile(r"^\d{1,3}(?:st|nd|rd|th) (?:Plenary|[\w/ -]*Meeting) of (?:the )?")
_POST_LEAD = re.compile(
    r"^(?:(?:Acting|Deputy|Vice|Permanent|Under|Chief|Executive|Principal|Assistant)\s)*"
    r"(?:Secretary|Director|Governor|Mayor|Member|Chairman|Chairperson|President|Head|Commissioner|Chief Executive|"
    r"Vice-Governor|Vice-Mayor|Party Secretary|Leadership)(?:\s(?:General|of the Office Leadership))?"
    r"\s(?:of|for)\s(?:the\s)?"
)
_ABBREVIATION = re.compile(r"\s?\((?P<short>(?=(?:[^A-Z)]*[A-Z]){2})[A-Z][A-Za-z&\-]{1,12})\)")
_JURISDICTIONS: list[tuple[str, Jurisdiction]] = [
    (r"HKSAR|Hong Kong|SAR Government of Hong Kong", Jurisdiction.HKSAR),
    (r"Macao|Macau", Jurisdiction.MACAO),
    (
        r"Municipal|Shenzhen|Zhuhai|Guangzhou|Dongguan|Foshan|Zhongshan|Huizhou|Jiangmen|Zhaoqing",
        Jurisdiction.MUNICIPAL,
    ),
    (r"Guangdong", Jurisdiction.GUANGDONG),
    (r"Central|State Council|Ministry|National|China|Communist Party|CPC|People's Republic", Jurisdiction.CENTRAL),
]
_HKSAR_LONG = re.compile(r"(?i)\bhong kong special administrative region\b")


def organisation_key(name: str) -> str:
    """One spelling for the many of one body: 'Government of the HKSAR' = 'HKSAR Government'."""
    key = _HKSAR_LONG.sub("hksar", name.lower())
    key = re.sub(r"^the\s+", "", key)
    m = re.match(r"^government of (?:the )?(?P<place>.+)$", key)
    if m:
        key = f"{m['place']} government"
    key = key.replace(" sar government", " government") if key.startswith("hksar") else key
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", key).split())


def _kind(name: str) -> OrganisationKind:
    for pattern, kind in _KINDS:
        if re.search(rf"\b(?:{pattern})\b", name):
            return kind
    return OrganisationKind.OTHER


def _jurisdiction(name: str) -> Jurisdiction:
    if re.search(r"\bMunicipal\b", name):
        return Jurisdiction.MUNICIPAL
    for pattern, jurisdiction in _JURISDICTIONS:
        if re.search(rf"\b(?:{pattern})\b", name):
            return jurisdiction
    return Jurisdiction.OTHER


def _trim(name: str) -> str:
    """Cut words after the body's last naming word, but for "of ..." ("University of Science
    and Technology"): "... Hospital on Elderly Health Care" is a hospital and a topic."""
    matches = list(_KEYWORD.finditer(name))
    if not matches:
        return name
    end = matches[-1].end()
    return name if name[end:].startswith(" of ") else name[:end]


def _names(span: str) -> list[str]:
    """The organisation names in one run of capitalised words."""
    span = _POST_LEAD.sub("", _MEETING_LEAD.sub("", span))
    span = re.sub(r"^(?:The|the)\s", "", span)
    names: list[str] = []
    for piece in span.split(" and the "):
        if not _KEYWORD.search(piece):
            continue
        left, sep, right = piece.partition(" of the ")
        if sep and _KEYWORD.search(left.split()[-1]) and _KEYWORD.search(right):
            names += [_trim(left), _trim(right)]  # "Health Bureau of the Government of the HKSAR"
        else:
            names.append(_trim(piece))
    return [_POST_LEAD.sub("", n) for n in names]


def organisations_in(plain: str) -> list[tuple[int, str, str | None]]:
    """(position, name, abbreviation) of every organisation named in `plain`."""
    found: list[tuple[int, str, str | None]] = []
    for m in _SPAN.finditer(plain):
        if not _KEYWORD.search(m.group()):
            continue
        after = _ABBREVIATION.match(plain, m.end())
        for name in _names(m.group()):
            if len(name.split()) < 2 and name not in ("Customs",):
                continue
            short = after["short"] if after and m.group().endswith(name) else None
            found.append((m.start() + m.group().find(name), name, short))
    return found


def draft_organisations(ctx: Context, sentences: list[Sentence]) -> None:
    seen: dict[str, str] = {}
    for sentence in sentences:
        for _, name, short in organisations_in(sentence.plain):
            key = organisation_key(name)
            if key in seen:
                ctx.organisations[name] = seen[key]
                continue
            known = next((k for k in ctx.register.organisations if key in {organisation_key(n) for n in k.names}), None)
            known = known or best_match(name, ctx.register.organisations, 92)
            if known is not None:
                seen[key] = ctx.organisations[name] = known.slug
                ctx.book.linked["organisations"] += 1
                continue
            slug = ctx.book.slug("organisations", short or name if short and len(name) > 60 else name)
            seen[key] = ctx.organisations[name] = slug
            record: dict[str, Any] = {"slug": slug, "name": name}
            if short:
                record["short_name"] = short
            record.update(jurisdiction=_jurisdiction(name).value, kind=_kind(name).value, quote=sentence.quote)
            ctx.book.add("organisations", record, 0.75, "capitalised name of a body", name)
        if short_names := {s: n for _, n, s in organisations_in(sentence.plain) if s}:
            for short, name in short_names.items():
                ctx.organisations.setdefault(short, ctx.organisations.get(name, ""))
    issuer = organisation_key("HKSAR Government")
    ctx.issuer_organisation = seen.get(issuer) or next(
        (k.slug for k in ctx.register.organisations if issuer in {organisation_key(n) for n in k.names}), None
    )


# The Greater Bay Area: its region, its eleven cities, and districts and zones its
# co-operation texts name. Common knowledge of the region, not of one document.
_GAZETTEER: list[tuple[str, PlaceKind]] = [
    ("Guangdong-Hong Kong-Macao Greater Bay Area", PlaceKind.REGION),
    ("Greater Bay Area", PlaceKind.REGION),
    ("Guangdong Province", PlaceKind.REGION),
    *((city, PlaceKind.CITY) for city in ("Hong Kong", "Macao", "Guangzhou", "Shenzhen", "Zhuhai", "Foshan",
                                          "Huizhou", "Dongguan", "Zhongshan", "Jiangmen", "Zhaoqing")),
    *((district, PlaceKind.DISTRICT) for district in ("Nansha", "Futian", "Luohu", "Nanshan", "Bao'an", "Longgang",
                                                      "Northern Metropolis", "San Tin Technopole", "Ngau Tam Mei",
                                                      "Ma Tso Lung", "New Territories North New Town", "Lantau",
                                                      "Kai Tak", "Tung Chung")),
    *((zone, PlaceKind.ZONE) for zone in ("Qianhai", "Hengqin", "Hetao", "the Loop", "Lok Ma Chau Loop",
                                          "Shenzhen Park", "Hong Kong Park", "Sha Tau Kok")),
]  # fmt: skip


def draft_places(ctx: Context, sentences: list[Sentence]) -> None:
    known_names = [(n, k) for k in ctx.register.places for n in k.names]
    done: set[str] = set()
    for sentence in sentences:
        for name, kind in _GAZETTEER:
            if name in done or not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence.plain):
                continue
            done.add(name)
            known = next((k for n, k in known_names if n.lower() == name.lower()), None)
            known = known or best_match(name, ctx.register.places, 95)
            if known is not None:
                ctx.places[name] = known.slug
                ctx.book.linked["places"] += 1
                continue
            ctx.places[name] = ctx.book.slug("places", name)
            record = {"slug": ctx.places[name], "name": name, "kind": kind.value, "quote": sentence.quote}
            ctx.book.add("places", record, 0.8, "a place of the Greater Bay Area", name)
        for name, known_place in known_names:
            if name not in done and name in sentence.plain:
                done.add(name)
                ctx.places[name] = known_place.slug
                ctx.book.linked["places"] += 1
