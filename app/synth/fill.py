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

from app.db.base import Base
from app.models import (
    Agreement,
    AgreementParty,
    Area,
    DataRevision,
    Document,
    Initiative,
    InitiativeOrganisation,
    Meeting,
    Metric,
    MetricSeries,
    Milestone,
    Official,
    Organisation,
    Post,
    SearchEntry,
    StatusStatement,
)
from app.models.vocab import (
    AgreementKind,
    InitiativeKind,
    InitiativeStatus,
    Jurisdiction,
    MetricQualifier,
    MetricUnit,
    OrganisationKind,
)
from app.synth.bulk import BulkWriter, writer_for
from app.synth.columns import Record, in_table_order, table_of
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
        generator = _Generator(writer, scale, seed, advance)
        generator.run()
        writer.finish(list(generator.written))
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
        self.written: dict[str, None] = {}  # the tables written, in order

    def run(self) -> None:
        self._write(Document, [self._document_row()])
        self._write(
            Meeting,
            [
                {
                    "id": 1,
                    "slug": "synthetic-plenary",
                    "ordinal": 1,
                    "name": "Synthetic Plenary",
                    "held_on": PUBLISHED_ON,
                    "city": "Guangzhou",
                    **self._provenance(),
                }
            ],
        )
        self._write(Area, [self._area_row(i, slug) for i, slug in enumerate(AREAS, 1)])
        organisations = [self._organisation_row(i) for i in range(1, self.scale.organisations + 1)]
        officials = [self._official_row(i) for i in range(1, self.scale.officials + 1)]
        self._write(Organisation, organisations)
        self._write(Official, officials)
        self._write(Post, [self._post_row(i) for i in range(1, self.scale.officials + 1)])
        self._search_entries(organisations, officials)
        self.writer.commit()
        for first in range(1, self.scale.initiatives + 1, CHUNK):
            last = min(first + CHUNK - 1, self.scale.initiatives)
            self._initiatives(first, last)
            self.writer.commit()
            self.advance(last - first + 1)
        self._agreements()
        changed_at = datetime(2024, 7, 12, tzinfo=UTC)
        self._write(DataRevision, [{"id": 1, "revision": self.revision, "changed_at": changed_at}])
        self.writer.commit()

    # -- plumbing ----------------------------------------------------------------------

    def _write(self, model: type[Base], records: list[Record]) -> None:
        if not records:
            return
        table = table_of(model)
        columns, rows = in_table_order(table, records)
        self.writer.write(table.name, columns, rows)
        self.written[table.name] = None

    def _provenance(self) -> Record:
        """The quote a record comes from (a whole sentence of the one synthetic document)."""
        quote, start, end = self.document.quote(self.rng)
        return {"quote": quote, "quote_start": start, "quote_end": end, "document_id": 1}

    def _search(self, records: list[Record], resource: str, record_id: int, slug: str, title: str, body: str) -> None:
        self.search_id += 1
        records.append(
            {
                "id": self.search_id,
                "resource": resource,
                "record_id": record_id,
                "slug": slug,
                "title": title,
                "body": body,
            }
        )

    # -- small tables ------------------------------------------------------------------

    def _document_row(self) -> Record:
        sha = hashlib.sha256(self.document.text.encode()).hexdigest()
        return {
            "id": 1,
            "slug": "synthetic-press-release",
            "title": "Synthetic press release",
            "issuer": "Synthetic issuer",
            "published_on": PUBLISHED_ON,
            "url": None,
            "text": self.document.text,
            "sha256": sha,
            "seed_sha256": sha,
        }

    def _area_row(self, i: int, slug: str) -> Record:
        name = slug.replace("-", " ").title()
        summary = self.words.phrase(self.rng, 8, 14)
        return {
            "id": i,
            "slug": slug,
            "name": name,
            "summary": summary,
            "document_id": 1,
            "heading": name,
            "heading_start": 0,
        }

    def _organisation_row(self, i: int) -> Record:
        name = self.words.phrase(self.rng, 2, 4).title() + " Bureau"
        jurisdiction = self.rng.choice(list(Jurisdiction)).value
        kind = self.rng.choice(list(OrganisationKind)).value
        return {
            "id": i,
            "slug": _slugify(name, i),
            "name": name,
            "short_name": None,
            "jurisdiction": jurisdiction,
            "kind": kind,
            "parent_id": None,
            **self._provenance(),
        }

    def _official_row(self, i: int) -> Record:
        name = self.words.phrase(self.rng, 2, 3).title()
        honorific = self.rng.choice(("Mr", "Ms", "Dr", "Professor"))
        return {"id": i, "slug": _slugify(name, i), "name": name, "honorific": honorific}

    def _post_row(self, i: int) -> Record:
        organisation = self.rng.randint(1, self.scale.organisations)
        title = "Secretary for " + self.words.phrase(self.rng, 1, 2).title()
        return {
            "id": i,
            "official_id": i,
            "organisation_id": organisation,
            "title": title,
            "acting": False,
            **self._provenance(),
        }

    def _search_entries(self, organisations: list[Record], officials: list[Record]) -> None:
        records: list[Record] = []
        for organisation in organisations:
            self._search(records, "organisations", organisation["id"], organisation["slug"], organisation["name"], "")
        for official in officials:
            self._search(records, "officials", official["id"], official["slug"], official["name"], "")
        self._search(records, "documents", 1, "synthetic-press-release", "Synthetic press release", self.document.text)
        self._search(records, "meetings", 1, "synthetic-plenary", "Synthetic Plenary", "Guangzhou")
        for i, slug in enumerate(AREAS, 1):
            self._search(records, "areas", i, slug, slug.replace("-", " ").title(), "")
        self._write(SearchEntry, records)

    # -- initiatives and what hangs off them -------------------------------------------
    # The random draws happen in a fixed order (a seed's data depends on it): each value is
    # drawn into a local first, then the record is built from the locals.

    def _initiatives(self, first: int, last: int) -> None:
        rng, words = self.rng, self.words
        initiatives: list[Record] = []
        leads: list[Record] = []
        metrics: list[Record] = []
        series: list[Record] = []
        statements: list[Record] = []
        milestones: list[Record] = []
        search: list[Record] = []
        for i in range(first, last + 1):
            area = rng.randint(1, len(AREAS))
            title = words.phrase(rng, 3, 6).capitalize() + " " + rng.choice(list(InitiativeKind)).value
            slug = _slugify(title, i)
            summary = words.phrase(rng, 12, 24).capitalize() + "."
            status_quote, status_start, status_end = self.document.quote(rng)
            provenance = self._provenance()
            start, end, edtf = _quarter(rng)
            kind = rng.choice(list(InitiativeKind)).value
            status = rng.choice(list(InitiativeStatus)).value
            initiatives.append(
                {
                    "id": i,
                    "slug": slug,
                    "area_id": area,
                    "title": title,
                    "summary": summary,
                    "kind": kind,
                    "status": status,
                    "status_quote": status_quote,
                    "status_quote_start": status_start,
                    "status_quote_end": status_end,
                    "due_start": start,
                    "due_end": end,
                    **provenance,
                }
            )
            # The status is the initiative's one statement, as of the synthetic document's date.
            statements.append(
                {
                    "id": i,
                    "initiative_id": i,
                    "status": status,
                    "effective_phrase": None,
                    "effective_start": PUBLISHED_ON,
                    "effective_end": PUBLISHED_ON,
                    "effective_precision": "day",
                    "effective_qualifier": "on",
                    "effective_edtf": PUBLISHED_ON.isoformat(),
                    "effective_on": PUBLISHED_ON,
                    "quote": status_quote,
                    "quote_start": status_start,
                    "quote_end": status_end,
                    "document_id": 1,
                }
            )
            lead = rng.randint(1, self.scale.organisations)
            leads.append({"id": i, "initiative_id": i, "organisation_id": lead, "role": "lead"})
            self._search(search, "initiatives", i, slug, title, summary + "\n" + provenance["quote"])
            for m in range(5):
                metric_id = 5 * (i - 1) + m + 1
                label = words.phrase(rng, 3, 6).capitalize()
                metric_slug = _slugify(label, metric_id)
                metric_provenance = self._provenance()
                value = float(rng.randint(1, 100_000))
                unit = rng.choice(list(MetricUnit)).value
                qualifier = rng.choice(list(MetricQualifier)).value
                series.append(
                    {
                        "id": metric_id,
                        "slug": metric_slug,
                        "label": label,
                        "unit": unit,
                        "area_id": area,
                        "initiative_id": i,
                        "document_id": 1,
                    }
                )
                metrics.append(
                    {
                        "id": metric_id,
                        "slug": metric_slug,
                        "series_id": metric_id,
                        "label": label,
                        "value": value,
                        "previous_value": None,
                        "unit": unit,
                        "qualifier": qualifier,
                        "area_id": area,
                        "initiative_id": i,
                        "as_of_phrase": None,
                        "as_of_start": PUBLISHED_ON,
                        "as_of_end": PUBLISHED_ON,
                        "as_of_precision": "day",
                        "as_of_edtf": PUBLISHED_ON.isoformat(),
                        **metric_provenance,
                    }
                )
                self._search(search, "metrics", metric_id, metric_slug, label, metric_provenance["quote"])
            for m, kind in enumerate(("happened", "scheduled", "target")):
                milestone_id = 3 * (i - 1) + m + 1
                label = words.phrase(rng, 3, 5).capitalize()
                milestone_slug = _slugify(label, milestone_id)
                m_start, m_end, m_edtf = (start, end, edtf) if kind == "target" else _quarter(rng)
                phrase = f"the {QUARTERS[int(m_edtf[-2:]) - 33]} quarter of {m_start.year}"
                milestones.append(
                    {
                        "id": milestone_id,
                        "slug": milestone_slug,
                        "label": label,
                        "kind": kind,
                        "phrase": phrase,
                        "start_on": m_start,
                        "end_on": m_end,
                        "precision": "quarter",
                        "qualifier": "by" if kind == "target" else "on",
                        "edtf": m_edtf,
                        "area_id": area,
                        "initiative_id": i,
                        "agreement_id": None,
                        **self._provenance(),
                    }
                )
                self._search(search, "milestones", milestone_id, milestone_slug, label, phrase)
        for model, records in (
            (Initiative, initiatives),
            (InitiativeOrganisation, leads),
            (StatusStatement, statements),
            (MetricSeries, series),
            (Metric, metrics),
            (Milestone, milestones),
            (SearchEntry, search),
        ):
            self._write(model, records)

    def _agreements(self) -> None:
        agreements: list[Record] = []
        parties: list[Record] = []
        search: list[Record] = []
        for i in range(1, self.scale.agreements + 1):
            title = "Agreement on " + self.words.phrase(self.rng, 3, 5)
            slug = _slugify(title, i)
            start, end, edtf = _quarter(self.rng)
            provenance = self._provenance()
            kind = self.rng.choice(list(AgreementKind)).value
            area = self.rng.randint(1, len(AREAS))
            initiative = self.rng.randint(1, self.scale.initiatives)
            agreements.append(
                {
                    "id": i,
                    "slug": slug,
                    "title": title,
                    "kind": kind,
                    "area_id": area,
                    "meeting_id": 1,
                    "initiative_id": initiative,
                    "signed_phrase": None,
                    "signed_start": start,
                    "signed_end": end,
                    "signed_precision": "quarter",
                    "signed_edtf": edtf,
                    **provenance,
                }
            )
            first, second = self.rng.sample(range(1, self.scale.organisations + 1), 2)
            parties += [
                {"id": 2 * i - 1, "agreement_id": i, "organisation_id": first},
                {"id": 2 * i, "agreement_id": i, "organisation_id": second},
            ]
            self._search(search, "agreements", i, slug, title, provenance["quote"])
        for model, records in ((Agreement, agreements), (AgreementParty, parties), (SearchEntry, search)):
            self._write(model, records)
