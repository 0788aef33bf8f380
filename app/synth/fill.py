"""Fill a migrated, empty database with synthetic records in proportion to a number of
initiatives: per initiative 5 metrics, 3 milestones (one a target) and a lead
organisation; one agreement per 10 initiatives; one organisation per 100, one official
per 200; a search entry for every record, and a data revision. Deterministic for a seed."""

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, text

from app.models.vocab import (
    AgreementKind,
    InitiativeKind,
    InitiativeStatus,
    Jurisdiction,
    MetricQualifier,
    MetricUnit,
    OrganisationKind,
)
from app.synth.bulk import BulkWriter, Row, writer_for
from app.synth.text import SourceDocument, Vocabulary

CHUNK = 10_000  # initiatives generated and written per batch
AREAS = [
    "culture",
    "dual-carbon",
    "education",
    "emergency-management",
    "financial-services",
    "general-co-operation",
    "healthcare",
    "innovation-and-technology",
    "investment-trade-and-ip",
    "national-games",
    "northern-metropolis",
    "rule-of-law",
    "talent",
    "transport-and-logistics",
    "youth-development",
]
PROVENANCE = ("quote", "quote_start", "quote_end", "document_id")
COLUMNS: dict[str, tuple[str, ...]] = {
    "document": ("id", "slug", "title", "issuer", "published_on", "url", "text", "sha256", "seed_sha256"),
    "meeting": ("id", "slug", "ordinal", "name", "held_on", "city", *PROVENANCE),
    "area": ("id", "slug", "name", "summary", "document_id", "heading", "heading_start"),
    "organisation": ("id", "slug", "name", "short_name", "jurisdiction", "kind", "parent_id", *PROVENANCE),
    "official": ("id", "slug", "name", "honorific"),
    "post": ("id", "official_id", "organisation_id", "title", "acting", *PROVENANCE),
    "initiative": (
        "id",
        "slug",
        "area_id",
        "title",
        "summary",
        "kind",
        "status",
        "status_quote",
        "status_quote_start",
        "status_quote_end",
        "due_start",
        "due_end",
        *PROVENANCE,
    ),
    "initiative_organisation": ("id", "initiative_id", "organisation_id", "role"),
    "metric": (
        "id",
        "slug",
        "label",
        "value",
        "previous_value",
        "unit",
        "qualifier",
        "area_id",
        "initiative_id",
        "as_of_phrase",
        "as_of_start",
        "as_of_end",
        "as_of_precision",
        "as_of_edtf",
        *PROVENANCE,
    ),
    "milestone": (
        "id",
        "slug",
        "label",
        "kind",
        "phrase",
        "start_on",
        "end_on",
        "precision",
        "qualifier",
        "edtf",
        "area_id",
        "initiative_id",
        "agreement_id",
        *PROVENANCE,
    ),
    "agreement": (
        "id",
        "slug",
        "title",
        "kind",
        "area_id",
        "meeting_id",
        "initiative_id",
        "signed_phrase",
        "signed_start",
        "signed_end",
        "signed_precision",
        "signed_edtf",
        *PROVENANCE,
    ),
    "agreement_party": ("id", "agreement_id", "organisation_id"),
    "search_entry": ("id", "resource", "record_id", "slug", "title", "body"),
    "data_revision": ("id", "revision", "changed_at"),
}
PUBLISHED_ON = date(2024, 7, 12)
QUARTERS = ("first", "second", "third", "fourth")


class SynthError(Exception):
    """The database cannot take synthetic data (not migrated, or not empty)."""


@dataclass(frozen=True)
class Scale:
    initiatives: int

    @property
    def organisations(self) -> int:
        return max(20, self.initiatives // 100)

    @property
    def officials(self) -> int:
        return max(10, self.initiatives // 200)

    @property
    def agreements(self) -> int:
        return max(1, self.initiatives // 10)

    @property
    def metrics(self) -> int:
        return 5 * self.initiatives

    @property
    def milestones(self) -> int:
        return 3 * self.initiatives


def synthesise(engine: Engine, scale: Scale, seed: int, advance: Callable[[int], None] = lambda _: None) -> None:
    """Write `scale`'s records; `advance(n)` is told each time n more initiatives are written."""
    _check_empty(engine)
    writer = writer_for(engine)
    try:
        _Generator(writer, scale, seed, advance).run()
        writer.finish(list(COLUMNS))
    finally:
        writer.close()


def _check_empty(engine: Engine) -> None:
    with engine.connect() as connection:
        try:
            existing = connection.execute(text("SELECT count(*) FROM initiative")).scalar_one()
        except Exception as error:
            raise SynthError("the database is not migrated: run `coop migrate` first") from error
    if existing:
        raise SynthError(f"the database already holds {existing} initiatives: synthesise into an empty one")


def _slugify(words: str, number: int) -> str:
    return f"{'-'.join(words.split()[:4]).lower()}-{number}"


def _quarter(rng: random.Random) -> tuple[date, date, str]:
    year, quarter = rng.randint(2019, 2030), rng.randint(1, 4)
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
    return start, end, f"{year}-{32 + quarter}"


class _Generator:
    def __init__(self, writer: BulkWriter, scale: Scale, seed: int, advance: Callable[[int], None]) -> None:
        self.writer, self.scale, self.advance = writer, scale, advance
        self.rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
        self.words = Vocabulary.make()
        self.document = SourceDocument.make(self.words, self.rng)
        self.search_id = 0
        self.revision = hashlib.sha256(f"synth:{seed}:{scale.initiatives}".encode()).hexdigest()

    def run(self) -> None:
        self._write("document", [self._document_row()])
        self._write(
            "meeting", [(1, "synthetic-plenary", 1, "Synthetic Plenary", PUBLISHED_ON, "Guangzhou", *self._quote())]
        )
        self._write("area", [self._area_row(i, slug) for i, slug in enumerate(AREAS, 1)])
        organisations = [self._organisation_row(i) for i in range(1, self.scale.organisations + 1)]
        officials = [self._official_row(i) for i in range(1, self.scale.officials + 1)]
        self._write("organisation", organisations)
        self._write("official", officials)
        self._write("post", [self._post_row(i) for i in range(1, self.scale.officials + 1)])
        self._search_entries(organisations, officials)
        self.writer.commit()
        for first in range(1, self.scale.initiatives + 1, CHUNK):
            last = min(first + CHUNK - 1, self.scale.initiatives)
            self._initiatives(first, last)
            self.writer.commit()
            self.advance(last - first + 1)
        self._agreements()
        self._write("data_revision", [(1, self.revision, datetime(2024, 7, 12, tzinfo=UTC))])
        self.writer.commit()

    # -- plumbing ----------------------------------------------------------------------

    def _write(self, table: str, rows: list[Row]) -> None:
        self.writer.write(table, COLUMNS[table], rows)

    def _quote(self) -> tuple[str, int, int, int]:
        return (*self.document.quote(self.rng), 1)

    def _search(self, rows: list[Row], resource: str, record_id: int, slug: str, title: str, body: str) -> None:
        self.search_id += 1
        rows.append((self.search_id, resource, record_id, slug, title, body))

    # -- small tables ------------------------------------------------------------------

    def _document_row(self) -> Row:
        sha = hashlib.sha256(self.document.text.encode()).hexdigest()
        return (
            1,
            "synthetic-press-release",
            "Synthetic press release",
            "Synthetic issuer",
            PUBLISHED_ON,
            None,
            self.document.text,
            sha,
            sha,
        )

    def _area_row(self, i: int, slug: str) -> Row:
        name = slug.replace("-", " ").title()
        return (i, slug, name, self.words.phrase(self.rng, 8, 14), 1, name, 0)

    def _organisation_row(self, i: int) -> Row:
        name = self.words.phrase(self.rng, 2, 4).title() + " Bureau"
        jurisdiction = self.rng.choice(list(Jurisdiction)).value
        kind = self.rng.choice(list(OrganisationKind)).value
        return (i, _slugify(name, i), name, None, jurisdiction, kind, None, *self._quote())

    def _official_row(self, i: int) -> Row:
        name = self.words.phrase(self.rng, 2, 3).title()
        return (i, _slugify(name, i), name, self.rng.choice(("Mr", "Ms", "Dr", "Professor")))

    def _post_row(self, i: int) -> Row:
        organisation = self.rng.randint(1, self.scale.organisations)
        return (i, i, organisation, "Secretary for " + self.words.phrase(self.rng, 1, 2).title(), False, *self._quote())

    def _search_entries(self, organisations: list[Row], officials: list[Row]) -> None:
        rows: list[Row] = []
        for organisation_id, slug, name, *_ in organisations:
            self._search(rows, "organisations", organisation_id, slug, name, "")
        for official_id, slug, name, _ in officials:
            self._search(rows, "officials", official_id, slug, name, "")
        self._search(rows, "documents", 1, "synthetic-press-release", "Synthetic press release", self.document.text)
        self._search(rows, "meetings", 1, "synthetic-plenary", "Synthetic Plenary", "Guangzhou")
        for i, slug in enumerate(AREAS, 1):
            self._search(rows, "areas", i, slug, slug.replace("-", " ").title(), "")
        self._write("search_entry", rows)

    # -- initiatives and what hangs off them -------------------------------------------

    def _initiatives(self, first: int, last: int) -> None:
        rng, words = self.rng, self.words
        initiatives: list[Row] = []
        leads: list[Row] = []
        metrics: list[Row] = []
        milestones: list[Row] = []
        search: list[Row] = []
        for i in range(first, last + 1):
            area = rng.randint(1, len(AREAS))
            title = words.phrase(rng, 3, 6).capitalize() + " " + rng.choice(list(InitiativeKind)).value
            slug = _slugify(title, i)
            summary = words.phrase(rng, 12, 24).capitalize() + "."
            status_quote = self._quote()
            quote = self._quote()
            start, end, edtf = _quarter(rng)
            initiatives.append(
                (
                    i,
                    slug,
                    area,
                    title,
                    summary,
                    rng.choice(list(InitiativeKind)).value,
                    rng.choice(list(InitiativeStatus)).value,
                    *status_quote[:3],
                    start,
                    end,
                    *quote,
                )
            )
            leads.append((i, i, rng.randint(1, self.scale.organisations), "lead"))
            self._search(search, "initiatives", i, slug, title, summary + "\n" + quote[0])
            for m in range(5):
                metric_id = 5 * (i - 1) + m + 1
                label = words.phrase(rng, 3, 6).capitalize()
                metric_slug = _slugify(label, metric_id)
                metric_quote = self._quote()
                metrics.append(
                    (
                        metric_id,
                        metric_slug,
                        label,
                        float(rng.randint(1, 100_000)),
                        None,
                        rng.choice(list(MetricUnit)).value,
                        rng.choice(list(MetricQualifier)).value,
                        area,
                        i,
                        None,
                        PUBLISHED_ON,
                        PUBLISHED_ON,
                        "day",
                        PUBLISHED_ON.isoformat(),
                        *metric_quote,
                    )
                )
                self._search(search, "metrics", metric_id, metric_slug, label, metric_quote[0])
            for m, kind in enumerate(("happened", "scheduled", "target")):
                milestone_id = 3 * (i - 1) + m + 1
                label = words.phrase(rng, 3, 5).capitalize()
                milestone_slug = _slugify(label, milestone_id)
                m_start, m_end, m_edtf = (start, end, edtf) if kind == "target" else _quarter(rng)
                phrase = f"the {QUARTERS[int(m_edtf[-2:]) - 33]} quarter of {m_start.year}"
                milestone_quote = self._quote()
                milestones.append(
                    (
                        milestone_id,
                        milestone_slug,
                        label,
                        kind,
                        phrase,
                        m_start,
                        m_end,
                        "quarter",
                        "by" if kind == "target" else "on",
                        m_edtf,
                        area,
                        i,
                        None,
                        *milestone_quote,
                    )
                )
                self._search(search, "milestones", milestone_id, milestone_slug, label, phrase)
        for table, rows in (
            ("initiative", initiatives),
            ("initiative_organisation", leads),
            ("metric", metrics),
            ("milestone", milestones),
            ("search_entry", search),
        ):
            self._write(table, rows)

    def _agreements(self) -> None:
        agreements: list[Row] = []
        parties: list[Row] = []
        search: list[Row] = []
        for i in range(1, self.scale.agreements + 1):
            title = "Agreement on " + self.words.phrase(self.rng, 3, 5)
            slug = _slugify(title, i)
            start, end, edtf = _quarter(self.rng)
            quote = self._quote()
            agreements.append(
                (
                    i,
                    slug,
                    title,
                    self.rng.choice(list(AgreementKind)).value,
                    self.rng.randint(1, len(AREAS)),
                    1,
                    self.rng.randint(1, self.scale.initiatives),
                    None,
                    start,
                    end,
                    "quarter",
                    edtf,
                    *quote,
                )
            )
            first, second = self.rng.sample(range(1, self.scale.organisations + 1), 2)
            parties += [(2 * i - 1, i, first), (2 * i, i, second)]
            self._search(search, "agreements", i, slug, title, quote[0])
        for table, rows in (("agreement", agreements), ("agreement_party", parties), ("search_entry", search)):
            self._write(table, rows)
