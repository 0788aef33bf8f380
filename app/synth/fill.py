"""Fill a migrated, empty database with synthetic records in proportion to a number of
initiatives: per initiative 3 milestones (one a target), a lead organisation, about 3 status
statements and 2 figure series of about 2.5 observations each (about 5 figures, as before the
series); one agreement per 10 initiatives; one organisation per 100, one official per 200; a
search entry for every record, and a data revision. Deterministic for a seed.

The history comes from four synthetic documents: the first defines every record (and says
each initiative's first status and each series' first figure); each follow-up, a year or so
later, restates about two in three statuses (half of them changed, effective in a month
between the previous document and its own) and adds an observation to half the series."""

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, text

from app.db.base import Base
from app.loader.periods import derive_latest_observations, derive_status_periods
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
# The follow-up documents: (slug, publication date), in publication order after the first.
FOLLOW_UPS = (
    ("synthetic-follow-up-2025", date(2025, 3, 14)),
    ("synthetic-follow-up-2025-11", date(2025, 11, 20)),
    ("synthetic-follow-up-2026", date(2026, 7, 10)),
)
SERIES_PER_INITIATIVE = 2
RESTATED = 2 / 3  # the chance that a follow-up says where an initiative stands
STATUS_CHANGED = 1 / 2  # the chance that a restated status differs from the one before
OBSERVED = 1 / 2  # the chance that a follow-up reports a series' figure again
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
    def series(self) -> int:
        return SERIES_PER_INITIATIVE * self.initiatives

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
    _derive(engine)


def _derive(engine: Engine) -> None:
    """The state the loader derives after a load (app/loader/periods.py), from the rows written,
    with planner statistics for the tables it fills."""
    with engine.begin() as connection:
        derive_status_periods(connection)
        derive_latest_observations(connection)
    # Statistics for the rows just written; on PostgreSQL also the visibility map, without
    # which an index-only scan of the periods visits the table too. (VACUUM needs autocommit.)
    analyse = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("status_period", "metric"):
            connection.execute(text(f"{analyse} {table}"))


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


def _month(year: int, month: int) -> tuple[date, date, str, str]:
    """A month as an imprecise date: start, end, EDTF and the phrase a document would use."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return start, end, f"{year:04d}-{month:02d}", f"in {start:%B %Y}"


def _months_between(after: date, before: date) -> list[tuple[int, int]]:
    """The whole months after the month of `after` and before the month of `before`."""
    months: list[tuple[int, int]] = []
    year, month = after.year, after.month
    while True:
        year, month = year + (month == 12), month % 12 + 1
        if (year, month) >= (before.year, before.month):
            return months
        months.append((year, month))


class _Generator:
    def __init__(self, writer: BulkWriter, scale: Scale, seed: int, advance: Callable[[int], None]) -> None:
        self.writer, self.scale, self.advance = writer, scale, advance
        self.rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
        self.words = Vocabulary.make()
        self.document = SourceDocument.make(self.words, self.rng)
        # Document id -> its text; the follow-ups are ids 2, 3, ... in publication order.
        self.documents = {1: self.document}
        for number in range(2, len(FOLLOW_UPS) + 2):
            self.documents[number] = SourceDocument.make(self.words, self.rng, sentences=1000)
        self.published_on = {1: PUBLISHED_ON} | {n: day for n, (_, day) in enumerate(FOLLOW_UPS, 2)}
        self.search_id = 0
        self.statement_id = 0
        self.metric_id = 0
        self.revision = hashlib.sha256(f"synth:{seed}:{scale.initiatives}".encode()).hexdigest()
        self.written: dict[str, None] = {}  # the tables written, in order

    def run(self) -> None:
        self._write(Document, [self._document_row(), *self._follow_up_rows()])
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

    def _follow_up_rows(self) -> list[Record]:
        rows: list[Record] = []
        for number, (slug, published_on) in enumerate(FOLLOW_UPS, 2):
            body = self.documents[number].text
            sha = hashlib.sha256(body.encode()).hexdigest()
            title = f"Synthetic follow-up of {published_on:%B %Y}"
            rows.append(
                {
                    "id": number,
                    "slug": slug,
                    "title": title,
                    "issuer": "Synthetic issuer",
                    "published_on": published_on,
                    "url": None,
                    "text": body,
                    "sha256": sha,
                    "seed_sha256": sha,
                }
            )
        return rows

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
        for number, (slug, published_on) in enumerate(FOLLOW_UPS, 2):
            title = f"Synthetic follow-up of {published_on:%B %Y}"
            self._search(records, "documents", number, slug, title, self.documents[number].text)
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
            provenance = self._provenance()
            start, end, edtf = _quarter(rng)
            kind = rng.choice(list(InitiativeKind)).value
            history = self._status_history(i)
            statements += history
            latest = history[-1]  # effective dates rise with the documents: the last is the latest
            initiatives.append(
                {
                    "id": i,
                    "slug": slug,
                    "area_id": area,
                    "title": title,
                    "summary": summary,
                    "kind": kind,
                    "status": latest["status"],
                    "status_quote": latest["quote"],
                    "status_quote_start": latest["quote_start"],
                    "status_quote_end": latest["quote_end"],
                    "due_start": start,
                    "due_end": end,
                    **provenance,
                }
            )
            lead = rng.randint(1, self.scale.organisations)
            leads.append({"id": i, "initiative_id": i, "organisation_id": lead, "role": "lead"})
            self._search(search, "initiatives", i, slug, title, summary + "\n" + provenance["quote"])
            for s in range(SERIES_PER_INITIATIVE):
                series_id = SERIES_PER_INITIATIVE * (i - 1) + s + 1
                label = words.phrase(rng, 3, 6).capitalize()
                unit = rng.choice(list(MetricUnit)).value
                series.append(
                    {
                        "id": series_id,
                        "slug": _slugify(label, series_id),
                        "label": label,
                        "unit": unit,
                        "area_id": area,
                        "initiative_id": i,
                        "document_id": 1,
                    }
                )
                for observation in self._observations(series_id, label, unit, area, i):
                    metrics.append(observation)
                    self._search(search, "metrics", observation["id"], observation["slug"], label, observation["quote"])
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

    def _quoted(self, document: int) -> Record:
        quote, start, end = self.documents[document].quote(self.rng)
        return {"quote": quote, "quote_start": start, "quote_end": end, "document_id": document}

    def _dated_after(self, document: int) -> tuple[date, date, str, str]:
        """A month between the previous document's publication and this one's (both excluded)."""
        year, month = self.rng.choice(_months_between(self.published_on[document - 1], self.published_on[document]))
        return _month(year, month)

    def _status_history(self, initiative: int) -> list[Record]:
        """The initiative's statements in document order: the first document's, as of its date;
        then each follow-up's (about two in three), half of them a change."""
        rng = self.rng
        status = rng.choice(list(InitiativeStatus)).value
        self.statement_id += 1
        history: list[Record] = [
            {
                "id": self.statement_id,
                "initiative_id": initiative,
                "status": status,
                "effective_phrase": None,
                "effective_start": PUBLISHED_ON,
                "effective_end": PUBLISHED_ON,
                "effective_precision": "day",
                "effective_qualifier": "on",
                "effective_edtf": PUBLISHED_ON.isoformat(),
                "effective_on": PUBLISHED_ON,
                **self._quoted(1),
            }
        ]
        for document in range(2, len(FOLLOW_UPS) + 2):
            if rng.random() >= RESTATED:
                continue
            if rng.random() < STATUS_CHANGED:
                status = rng.choice([value.value for value in InitiativeStatus if value.value != status])
            start, end, edtf, phrase = self._dated_after(document)
            self.statement_id += 1
            history.append(
                {
                    "id": self.statement_id,
                    "initiative_id": initiative,
                    "status": status,
                    "effective_phrase": phrase,
                    "effective_start": start,
                    "effective_end": end,
                    "effective_precision": "month",
                    "effective_qualifier": "on",
                    "effective_edtf": edtf,
                    "effective_on": end,
                    **self._quoted(document),
                }
            )
        return history

    def _observations(self, series: int, label: str, unit: str, area: int, initiative: int) -> list[Record]:
        """A series' figures: the first document's, as of its date; then about half the
        follow-ups', each as of a month before its document and larger than the one before."""
        rng = self.rng
        value = float(rng.randint(1, 100_000))
        dated: list[tuple[int, date, date, str, str | None]] = [
            (1, PUBLISHED_ON, PUBLISHED_ON, PUBLISHED_ON.isoformat(), None)
        ]
        for document in range(2, len(FOLLOW_UPS) + 2):
            if rng.random() < OBSERVED:
                dated.append((document, *self._dated_after(document)))
        observations: list[Record] = []
        for document, start, end, edtf, phrase in dated:
            self.metric_id += 1
            observations.append(
                {
                    "id": self.metric_id,
                    "slug": _slugify(label, self.metric_id),
                    "series_id": series,
                    "label": label,
                    "value": value,
                    "previous_value": None,
                    "unit": unit,
                    "qualifier": rng.choice(list(MetricQualifier)).value,
                    "area_id": area,
                    "initiative_id": initiative,
                    "as_of_phrase": phrase,
                    "as_of_start": start,
                    "as_of_end": end,
                    "as_of_precision": "day" if phrase is None else "month",
                    "as_of_edtf": edtf,
                    **self._quoted(document),
                }
            )
            value = float(round(value * rng.uniform(1.0, 1.5)))
        return observations

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
