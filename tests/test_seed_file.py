"""The curated seed file is valid, quotes its source verbatim and accounts for every figure."""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.loader.completeness import ExpressionKind, check_coverage, number_value, scan
from app.loader.dates import resolve_date
from app.loader.records import SeedFile
from app.models.vocab import MetricQualifier, MetricUnit, MilestoneKind

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"
SEED_PATH = SEED_DIR / "24th-plenary.yaml"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with SEED_PATH.open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


@pytest.fixture(scope="module")
def seed(raw: dict[str, Any]) -> SeedFile:
    return SeedFile.model_validate(raw)


@pytest.fixture(scope="module")
def text(seed: SeedFile) -> str:
    return (SEED_PATH.parent / seed.document.file).read_text(encoding="utf-8")


def strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of the raw YAML, with a path to it (for failure messages)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


# --- shape ------------------------------------------------------------------------------


def test_seed_validates(seed: SeedFile) -> None:
    assert seed.document.slug == "24th-plenary-press-release"
    assert str(seed.document.published_on) == "2024-07-12"
    assert [m.slug for m in seed.meetings] == ["24th-plenary"]


def test_no_garbled_or_caption_text(raw: dict[str, Any]) -> None:
    bad = [path for path, s in strings(raw) if "\ufffd" in s or "photo" in s.lower() or "\xa0" in s]
    assert not bad


def test_slugs_unique_per_type(seed: SeedFile) -> None:
    for field in (
        "meetings", "areas", "places", "organisations", "officials",
        "initiatives", "agreements", "metrics", "milestones",
    ):  # fmt: skip
        slugs = [r.slug for r in getattr(seed, field)]
        assert len(slugs) == len(set(slugs)), field


def test_exclusion_texts_unique(seed: SeedFile) -> None:
    texts = [e.text for e in seed.exclusions]
    assert len(texts) == len(set(texts))


# --- quotes -----------------------------------------------------------------------------


def test_every_quote_is_verbatim(raw: dict[str, Any], text: str) -> None:
    quotes = [(p, s) for p, s in strings(raw) if p.endswith("quote")]
    assert len(quotes) > 100
    missing = [p for p, s in quotes if s not in text]
    assert not missing
    # Quotes start on a word, not on the spaces that open paragraphs.
    assert not [p for p, s in quotes if s != s.strip()]


def test_headings_and_exclusions_occur_in_text(seed: SeedFile, text: str) -> None:
    headings = set(text.splitlines())
    assert not [a.slug for a in seed.areas if a.heading not in headings]
    assert not [e.text for e in seed.exclusions if e.text not in text]


def test_date_phrases_are_inside_their_quotes_and_resolve(seed: SeedFile) -> None:
    published_on = seed.document.published_on
    phrases = [(m.slug, m.when, m.quote) for m in seed.milestones]
    phrases += [(m.slug, m.as_of, m.quote) for m in seed.metrics if m.as_of]
    phrases += [(a.slug, a.signed, a.quote) for a in seed.agreements if a.signed]
    for slug, phrase, quote in phrases:
        assert phrase in quote, slug
        resolve_date(phrase, published_on)  # raises UnknownDatePhrase


def test_milestone_kind_agrees_with_its_date(seed: SeedFile) -> None:
    published_on = seed.document.published_on
    for m in seed.milestones:
        when = resolve_date(m.when, published_on)
        if m.kind is MilestoneKind.HAPPENED:
            assert when.start is not None and when.start <= published_on, m.slug
        else:  # scheduled and target lie (at least partly) ahead
            assert when.end is None or when.end >= published_on, m.slug


def test_agreements_have_a_date_or_a_meeting_when_signed_at_one(seed: SeedFile) -> None:
    at_meeting = [a for a in seed.agreements if a.meeting]
    assert len(at_meeting) == 6
    assert all(a.signed is None for a in at_meeting)


# --- references and vocabularies --------------------------------------------------------


def test_every_reference_resolves(seed: SeedFile) -> None:
    known = {
        "area": {a.slug for a in seed.areas},
        "place": {p.slug for p in seed.places},
        "organisation": {o.slug for o in seed.organisations},
        "official": {o.slug for o in seed.officials},
        "meeting": {m.slug for m in seed.meetings},
        "initiative": {i.slug for i in seed.initiatives},
        "agreement": {a.slug for a in seed.agreements},
    }
    # (referring record, kind of record referred to, slug or None)
    refs: list[tuple[str, str, str | None]] = []
    refs += [(p.slug, "place", p.parent) for p in seed.places]
    refs += [(o.slug, "organisation", o.parent) for o in seed.organisations]
    refs += [(o.slug, "organisation", p.organisation) for o in seed.officials for p in o.posts]
    for p in seed.participations:
        refs += [(p.official, "official", p.official), (p.official, "meeting", p.meeting)]
    for i in seed.initiatives:
        refs += [(i.slug, "area", i.area), (i.slug, "organisation", i.lead)]
        refs += [(i.slug, "organisation", s) for s in i.partners]
        refs += [(i.slug, "place", s) for s in i.places]
    for a in seed.agreements:
        refs += [(a.slug, "area", a.area), (a.slug, "meeting", a.meeting)]
        refs += [(a.slug, "initiative", a.initiative)]
        refs += [(a.slug, "organisation", s) for s in a.parties]
    for m in seed.metrics:
        refs += [(m.slug, "area", m.area), (m.slug, "initiative", m.initiative)]
    for s in seed.milestones:
        refs += [(s.slug, "area", s.area), (s.slug, "initiative", s.initiative)]
        refs += [(s.slug, "agreement", s.agreement)]
    dangling = [r for r in refs if r[2] is not None and r[2] not in known[r[1]]]
    assert not dangling


def test_every_official_takes_part_in_the_meeting(seed: SeedFile) -> None:
    assert {p.official for p in seed.participations} == {o.slug for o in seed.officials}


def test_units_and_qualifiers_from_vocabularies(raw: dict[str, Any]) -> None:
    for metric in raw["metrics"]:
        assert metric["unit"] in set(MetricUnit), metric["slug"]
        assert metric["qualifier"] in set(MetricQualifier), metric["slug"]


# --- completeness -----------------------------------------------------------------------


def test_every_number_and_date_is_accounted_for(seed: SeedFile, text: str) -> None:
    report = check_coverage(seed, text)
    assert report.ok, report.format()


@pytest.mark.parametrize("field", ["metrics", "milestones"])
def test_dropping_any_record_leaves_an_expression_uncovered(seed: SeedFile, text: str, field: str) -> None:
    records = getattr(seed, field)
    assert records
    for i, record in enumerate(records):
        reduced = seed.model_copy(update={field: records[:i] + records[i + 1 :]})
        assert check_coverage(reduced, text).uncovered, f"{field}: {record.slug} is redundant"


def test_scanner_skips_garbled_headings_and_captions() -> None:
    sample = "Healthcare\n\ufffd\ufffd \ufffd\n\nSix agreements.\n(Photo 2)\n\nPhoto\xa0\xa0Photo\xa0 Photo 3"
    assert [e.text for e in scan(sample)] == ["Six"]


def test_scanner_reads_a_line_that_is_only_partly_garbled() -> None:
    # Only a whole line of replacement characters is junk: a number beside one is text.
    sample = "Healthcare\n\ufffd\ufffd three projects\nPhotovoltaic: 12 piers."
    assert [e.text for e in scan(sample)] == ["three", "12"]


@pytest.mark.parametrize(
    ("fragment", "kind", "value"),
    [
        ("over 65 000 cars", ExpressionKind.NUMBER, Decimal(65000)),
        ("some 1.7 million people", ExpressionKind.NUMBER, Decimal(1700000)),
        ('the "9+2" cities', ExpressionKind.NUMBER, Decimal(11)),
        ("held four times", ExpressionKind.NUMBER, Decimal(4)),
        ("twenty-five tours", ExpressionKind.NUMBER, Decimal(25)),
        ("the 4th festival", ExpressionKind.ORDINAL, Decimal(4)),
        ("the first base", ExpressionKind.ORDINAL, Decimal(1)),
        ("in the 2022/23 school year", ExpressionKind.DATE, None),
        ("on November 9 to 21, 2025 and", ExpressionKind.DATE, None),
        ("from the third quarter of this year", ExpressionKind.DATE, None),
        ("in Guangzhou today (", ExpressionKind.DATE, None),
    ],
)
def test_scanner_finds_and_normalises(fragment: str, kind: ExpressionKind, value: Decimal) -> None:
    [found] = scan(fragment)
    assert (found.kind, found.value) == (kind, value)
    if value is not None:
        assert number_value(found.text) == value
