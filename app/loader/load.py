"""Load curated seed files into the database: validate, trace every quote, resolve every
date, upsert idempotently, all in one transaction (a bad record loads nothing)."""

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.loader import dates
from app.loader.derived import derive_current_state, remove_documents
from app.loader.drafts import drafts_in
from app.loader.errors import SeedError
from app.loader.junk import junk_in
from app.loader.records import SeedFile
from app.loader.registry import Registry
from app.loader.reserved import reserved_problem
from app.loader.search_text import sync_search_entries
from app.loader.source import SourceText
from app.loader.spans import Span, on_day
from app.loader.statements import StatementsLoader
from app.loader.sync import Changes, Sync
from app.models import (
    Agreement,
    AgreementParty,
    Area,
    DataRevision,
    Document,
    Initiative,
    InitiativeOrganisation,
    InitiativePlace,
    Meeting,
    Metric,
    MetricSeries,
    Milestone,
    Official,
    Organisation,
    Participation,
    Place,
    Post,
    PostSource,
    StatusStatement,
    TargetReached,
)
from app.models.vocab import OrganisationRole


def seed_files(seed_dir: Path) -> list[Path]:
    return sorted(seed_dir.glob("*.yaml"))


def load_all(engine: Engine, seed_dir: Path, *, accept_drafts: bool = False) -> Changes:
    """Load every seed file in `seed_dir`, in publication order, in one transaction; return
    what changed. A document whose files are gone is removed with all it contributed.
    Records still marked as drafts (`coop draft`) are refused, each listed, unless
    `accept_drafts` (for a preview database)."""
    paths = seed_files(seed_dir)
    if not paths:
        raise SeedError([f"no seed files (*.yaml) in {seed_dir}"])
    seeds = read_seeds(paths)
    if not accept_drafts:
        drafts = [line for path, seed in seeds for line in drafts_in(path, seed)]
        if drafts:
            hint = "review them and delete their `draft:` marks, or load with --accept-drafts"
            raise SeedError([f"{len(drafts)} records are still drafts ({hint})", *drafts], shown=len(drafts) + 1)
    with Session(engine) as session, session.begin():
        sync = Sync(session)
        registry = Registry()
        for path, seed in seeds:
            SeedLoader(session, sync, registry, path, seed).load()
        remove_documents(session, sync, keep={seed.document.slug for _, seed in seeds})
        derive_current_state(session, sync)
        sync_search_entries(session, sync)
        if sync.changes.any:
            _bump_revision(session)
        return sync.changes


def read_seeds(paths: list[Path]) -> list[tuple[Path, SeedFile]]:
    """Every seed file, validated, in publication order (then by slug); a document slug
    used by two files is refused."""
    seeds: list[tuple[Path, SeedFile]] = []
    problems: list[str] = []
    for path in paths:
        try:
            seeds.append((path, read_seed(path)))
        except SeedError as error:
            problems += error.problems
    files_by_slug: dict[str, list[str]] = {}
    for path, seed in seeds:
        files_by_slug.setdefault(seed.document.slug, []).append(path.name)
    for slug, names in files_by_slug.items():
        if len(names) > 1:
            problems.append(f"{', '.join(names)}: document: slug {slug!r} is used by {len(names)} files")
    if problems:
        raise SeedError(problems)
    return sorted(seeds, key=lambda item: (item[1].document.published_on, item[1].document.slug))


def read_seed(path: Path) -> SeedFile:
    try:
        # libyaml's safe loader when the wheel has it: ten times the speed of the pure-Python one.
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        raise SeedError([f"{path.name}: not valid YAML: {error}"]) from error
    try:
        return SeedFile.model_validate(raw)
    except ValidationError as error:
        raise SeedError([_describe(path, raw, e) for e in error.errors()]) from error


def _describe(path: Path, raw: Any, error: Any) -> str:
    """Name the record at fault: 'metrics[3] (hzmb-daily-vehicles).unit: ...'."""
    location = list(error["loc"])
    label = ".".join(str(part) for part in location)
    if len(location) >= 2 and isinstance(location[1], int):
        try:
            slug = raw[location[0]][location[1]].get("slug")
        except (KeyError, IndexError, TypeError, AttributeError):
            slug = None
        tail = ".".join(str(part) for part in location[2:])
        label = f"{location[0]}[{location[1]}]" + (f" ({slug})" if slug else "") + (f".{tail}" if tail else "")
    return f"{path.name}: {label}: {error['msg']}"


class SeedLoader(StatementsLoader):
    """Loads one seed file; collects every problem, then raises them together."""

    def __init__(self, session: Session, sync: Sync, registry: Registry, path: Path, seed: SeedFile) -> None:
        self.session = session
        self.sync = sync
        self.registry = registry
        self.path = path
        self.seed = seed
        self.problems: list[str] = []

    def load(self) -> None:
        seed = self.seed
        source_path = self.path.parent / seed.document.file
        if not source_path.is_file():
            raise SeedError([f"{self.path.name}: document.file: {source_path.name} does not exist"])
        self.source = SourceText.read(source_path)
        self._check_text(seed)
        document = self._document(seed)
        self.published_on = seed.document.published_on
        self.session.flush()
        self.document_id = document.id
        self._load_sections()
        if self.problems:
            raise SeedError(self.problems)
        self._prune()

    def _load_sections(self) -> None:
        """The document's records and statements, in dependency order (shared with app/curation/evidence.py)."""
        self._areas_places_organisations()
        self._officials_meetings()
        self._post_updates()
        self._initiatives()
        self._status_updates()
        self._agreements()
        self._metrics_milestones()
        self._targets_reached()

    # -- checks --------------------------------------------------------------------

    def _check_text(self, seed: SeedFile) -> None:
        for section, records in seed:
            for index, record in enumerate(_as_list(records)):
                for value in _strings(record.model_dump()):
                    junk = junk_in(value)
                    if junk is not None:
                        self._problem(section, index, record, f"{junk}: {value[:60]!r}")
        for section, records in seed:
            slugs = [getattr(r, "slug", None) for r in _as_list(records)]
            for slug in {s for s in slugs if s is not None and slugs.count(s) > 1}:
                self.problems.append(f"{self.path.name}: {section}: slug {slug!r} is used twice")
        if self.problems:
            raise SeedError(self.problems)

    def _span(self, section: str, index: int, record: Any, quote: str) -> Span:
        found = self.source.span(quote)
        if found is None:
            self._problem(section, index, record, f"quote not found in the text: {quote[:80]!r}")
            return Span(quote, 0, 1)
        return Span(quote, *found)

    def _date(self, section: str, index: int, record: Any, phrase: str, quote: str) -> dates.ResolvedDate | None:
        """A date phrase of the quote, resolved against the document's date; or an ISO date or EDTF
        period given as such (a curator's `2025-03` for a quote saying "last month")."""
        if dates.is_edtf(phrase) and phrase not in quote:
            try:
                resolved = dates.resolve_edtf(phrase, self.published_on)
            except dates.UnknownDatePhrase as error:
                self._problem(section, index, record, str(error))
                return None
            if resolved.start is None:
                self._problem(section, index, record, f"date {phrase!r} has no earliest date")
                return None
            return resolved
        if phrase not in quote:
            self._problem(section, index, record, f"date phrase {phrase!r} is not in its quote")
            return None
        try:
            resolved = dates.resolve_date(phrase, self.published_on)
        except dates.UnknownDatePhrase as error:
            self._problem(section, index, record, str(error))
            return None
        if resolved.start is None:
            self._problem(section, index, record, f"date phrase {phrase!r} has no earliest date")
            return None
        return resolved

    def _ref(self, section: str, index: int, record: Any, model: type, slug: str | None) -> int | None:
        """The id of the record `slug` defined by this or an earlier document, or a problem."""
        row = self._row(section, index, record, model, slug)
        return None if row is None else int(row.id)

    def _row(self, section: str, index: int, record: Any, model: type, slug: str | None) -> Any:
        if slug is None:
            return None
        table = model.__tablename__  # type: ignore[attr-defined]
        row = self.sync._existing(model, ("slug",)).get((slug,))
        if row is None or not self.registry.defines(table, slug):
            self._problem(section, index, record, f"unknown {table} {slug!r}")
            return None
        if row.id is None:
            self.session.flush()
        return row

    def _define(self, section: str, index: int, record: Any, model: type, slug: str) -> None:
        """Record that this document defines `slug`; a record is defined by one document only."""
        table = model.__tablename__  # type: ignore[attr-defined]
        unreachable = reserved_problem(table, slug)
        if unreachable is not None:
            self._problem(section, index, record, unreachable)
        other = self.registry.define(table, slug, self.path.name)
        if other is not None and other != self.path.name:
            self._problem(
                section, index, record, f"{table} {slug!r} is already defined by {other}; refer to it by its slug"
            )
        self._check_not_recorded(section, index, record, model, slug)

    def _check_not_recorded(self, section: str, index: int, record: Any, model: type, slug: str) -> None:
        """A seed never rewrites what a curator recorded through the API."""
        held = self.sync._existing(model, ("slug",)).get((slug,))
        recorded_by = getattr(held, "recorded_by", None)
        if recorded_by is not None:
            table = model.__tablename__  # type: ignore[attr-defined]
            self._problem(
                section,
                index,
                record,
                f"{table} {slug!r} was recorded through the API by {recorded_by!r}; refer to it by its slug "
                "(coop export --seed writes it out for review)",
            )

    def _problem(self, section: str, index: int, record: Any, message: str) -> None:
        slug = getattr(record, "slug", None) or getattr(record, "official", None)
        self.problems.append(f"{self.path.name}: {section}[{index}] ({slug}): {message}")

    # -- records -------------------------------------------------------------------

    def _document(self, seed: SeedFile) -> Document:
        record = seed.document
        seed_sha = hashlib.sha256(self.path.read_bytes()).hexdigest()
        return self.sync.upsert(
            Document,
            {"slug": record.slug},
            title=record.title,
            issuer=record.issuer,
            published_on=record.published_on,
            url=record.url,
            text=self.source.text,
            sha256=self.source.sha256,
            seed_sha256=seed_sha,
        )

    def _provenance(self, span: Span) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "quote": span.quote,
            "quote_start": span.start,
            "quote_end": span.end,
        }

    def _areas_places_organisations(self) -> None:
        for i, area in enumerate(self.seed.areas):
            self._define("areas", i, area, Area, area.slug)
            heading = self._span("areas", i, area, area.heading)
            self.sync.upsert(
                Area,
                {"slug": area.slug},
                name=area.name,
                summary=area.summary,
                document_id=self.document_id,
                heading=area.heading,
                heading_start=heading.start,
            )
        sections: tuple[tuple[str, type, list[Any]], ...] = (
            ("places", Place, self.seed.places),
            ("organisations", Organisation, self.seed.organisations),
        )
        for section, model, records in sections:
            for i, record in enumerate(records):
                self._define(section, i, record, model, record.slug)
                values = record.model_dump(exclude={"slug", "parent", "quote", "draft"})
                span = self._span(section, i, record, record.quote)
                self.sync.upsert(model, {"slug": record.slug}, **values, **self._provenance(span))
            self.session.flush()
            for i, record in enumerate(records):  # parents may come later in the file
                row = self.sync._existing(model, ("slug",))[(record.slug,)]
                parent_id = self._ref(section, i, record, model, record.parent)
                if row.parent_id != parent_id:
                    row.parent_id = parent_id
        self.session.flush()

    def _officials_meetings(self) -> None:
        for i, official in enumerate(self.seed.officials):
            self._define("officials", i, official, Official, official.slug)
            row = self.sync.upsert(Official, {"slug": official.slug}, name=official.name, honorific=official.honorific)
            self.session.flush()
            for post in official.posts:
                organisation_id = self._ref("officials", i, official, Organisation, post.organisation)
                span = self._span("officials", i, official, post.quote)
                if organisation_id is not None:
                    self.sync.upsert(
                        Post,
                        {
                            "official_id": row.id,
                            "organisation_id": organisation_id,
                            "title": post.title,
                        },
                        on_insert={"held_from": self.published_on},
                        acting=post.acting,
                        **self._provenance(span),
                    )
        for i, meeting in enumerate(self.seed.meetings):
            self._define("meetings", i, meeting, Meeting, meeting.slug)
            span = self._span("meetings", i, meeting, meeting.quote)
            self.sync.upsert(
                Meeting,
                {"slug": meeting.slug},
                ordinal=meeting.ordinal,
                name=meeting.name,
                held_on=meeting.held_on,
                city=meeting.city,
                **self._provenance(span),
            )
        self.session.flush()
        for i, participation in enumerate(self.seed.participations):
            official_id = self._ref("participations", i, participation, Official, participation.official)
            meeting_id = self._ref("participations", i, participation, Meeting, participation.meeting)
            span = self._span("participations", i, participation, participation.quote)
            if official_id is not None and meeting_id is not None:
                self.sync.upsert(
                    Participation,
                    {
                        "meeting_id": meeting_id,
                        "official_id": official_id,
                        "role": participation.role.value,
                    },
                    side=participation.side.value,
                    **self._provenance(span),
                )

    def _initiatives(self) -> None:
        for i, record in enumerate(self.seed.initiatives):
            self._define("initiatives", i, record, Initiative, record.slug)
            span = self._span("initiatives", i, record, record.quote)
            status_span = self._span("initiatives", i, record, record.status_quote)
            # Status and due dates are derived from every document's statements once all are
            # loaded (app/loader/derived.py); a new row starts with this document's.
            row = self.sync.upsert(
                Initiative,
                {"slug": record.slug},
                on_insert={
                    "status": record.status.value,
                    "status_quote": status_span.quote,
                    "status_quote_start": status_span.start,
                    "status_quote_end": status_span.end,
                    "due_start": None,
                    "due_end": None,
                },
                area_id=self._ref("initiatives", i, record, Area, record.area),
                title=record.title,
                summary=record.summary,
                kind=record.kind.value,
                **self._provenance(span),
            )
            self.session.flush()
            self._status_statement(
                "initiatives", i, record, row.id, record.status.value, record.status_since, status_span
            )
            roles = [(record.lead, OrganisationRole.LEAD)] if record.lead else []
            roles += [(slug, OrganisationRole.PARTNER) for slug in record.partners]
            for slug, role in roles:
                organisation_id = self._ref("initiatives", i, record, Organisation, slug)
                if organisation_id is not None:
                    self.sync.upsert(
                        InitiativeOrganisation,
                        {"initiative_id": row.id, "organisation_id": organisation_id},
                        role=role.value,
                    )
            for slug in record.places:
                place_id = self._ref("initiatives", i, record, Place, slug)
                if place_id is not None:
                    self.sync.upsert(InitiativePlace, {"initiative_id": row.id, "place_id": place_id})

    def _agreements(self) -> None:
        meetings = {m.slug: m for m in self.seed.meetings}
        for i, record in enumerate(self.seed.agreements):
            self._define("agreements", i, record, Agreement, record.slug)
            span = self._span("agreements", i, record, record.quote)
            signed = _signed_fields(None)
            if record.signed:
                signed = _signed_fields(self._date("agreements", i, record, record.signed, record.quote))
            elif record.meeting in meetings:  # signed at the meeting: the meeting's day
                held_on = meetings[record.meeting].held_on
                signed = _signed_fields(on_day(held_on))
            row = self.sync.upsert(
                Agreement,
                {"slug": record.slug},
                title=record.title,
                kind=record.kind.value,
                area_id=self._ref("agreements", i, record, Area, record.area),
                meeting_id=self._ref("agreements", i, record, Meeting, record.meeting),
                initiative_id=self._ref("agreements", i, record, Initiative, record.initiative),
                **signed,
                **self._provenance(span),
            )
            self.session.flush()
            for slug in record.parties:
                organisation_id = self._ref("agreements", i, record, Organisation, slug)
                if organisation_id is not None:
                    self.sync.upsert(AgreementParty, {"agreement_id": row.id, "organisation_id": organisation_id})

    def _metrics_milestones(self) -> None:
        for i, metric in enumerate(self.seed.metrics):
            self._define("metrics", i, metric, Metric, metric.slug)
            span = self._span("metrics", i, metric, metric.quote)
            series = self._series(i, metric)
            as_of = (
                self._date("metrics", i, metric, metric.as_of, metric.quote)
                if metric.as_of
                else on_day(self.published_on)
            )
            if as_of is None or series is None:
                continue
            self.sync.upsert(
                Metric,
                {"slug": metric.slug},
                series_id=series.id,
                label=metric.label or series.label,
                value=float(metric.value),
                previous_value=None if metric.previous_value is None else float(metric.previous_value),
                unit=series.unit,
                qualifier=metric.qualifier.value,
                area_id=self._ref("metrics", i, metric, Area, metric.area) if metric.area else series.area_id,
                initiative_id=(
                    self._ref("metrics", i, metric, Initiative, metric.initiative)
                    if metric.initiative
                    else series.initiative_id
                ),
                as_of_phrase=metric.as_of,
                as_of_start=as_of.start,
                # An open period ('since 2003') runs, for a figure reported here, to the document's date.
                as_of_end=as_of.end or self.published_on,
                as_of_precision=as_of.precision.value,
                as_of_edtf=as_of.edtf,
                **self._provenance(span),
            )
        for i, milestone in enumerate(self.seed.milestones):
            self._define("milestones", i, milestone, Milestone, milestone.slug)
            span = self._span("milestones", i, milestone, milestone.quote)
            when = self._date("milestones", i, milestone, milestone.when, milestone.quote)
            initiative_id = self._ref("milestones", i, milestone, Initiative, milestone.initiative)
            if when is None:
                continue
            self.sync.upsert(
                Milestone,
                {"slug": milestone.slug},
                label=milestone.label,
                kind=milestone.kind.value,
                phrase=milestone.when,
                start_on=when.start,
                end_on=when.end,
                precision=when.precision.value,
                qualifier=when.qualifier.value,
                edtf=when.edtf,
                area_id=self._ref("milestones", i, milestone, Area, milestone.area),
                initiative_id=initiative_id,
                agreement_id=self._ref("milestones", i, milestone, Agreement, milestone.agreement),
                supersedes_id=self._superseded(i, milestone),
                **self._provenance(span),
            )

    def _prune(self) -> None:
        """Delete facts of this document that the seed no longer holds."""
        self.session.flush()
        for model in (
            TargetReached,
            StatusStatement,
            PostSource,
            Milestone,
            Metric,
            MetricSeries,
            Agreement,
            Initiative,
            Participation,
            Post,
        ):
            # What a curator recorded through the API, quoting this document, is not the seed's to prune.
            seed_made = [model.recorded_by.is_(None)] if hasattr(model, "recorded_by") else []
            rows = self.session.scalars(select(model).where(model.document_id == self.document_id, *seed_made))
            self.sync.prune(model, rows)
        own_initiatives = select(Initiative.id).where(Initiative.document_id == self.document_id)
        own_agreements = select(Agreement.id).where(Agreement.document_id == self.document_id)
        for link, parent, scope in (
            (InitiativeOrganisation, InitiativeOrganisation.initiative_id, own_initiatives),
            (InitiativePlace, InitiativePlace.initiative_id, own_initiatives),
            (AgreementParty, AgreementParty.agreement_id, own_agreements),
        ):
            self.sync.prune(link, self.session.scalars(select(link).where(parent.in_(scope))))


def _signed_fields(resolved: dates.ResolvedDate | None) -> dict[str, Any]:
    if resolved is None:
        return dict.fromkeys(("signed_phrase", "signed_start", "signed_end", "signed_precision", "signed_edtf"))
    return {
        "signed_phrase": resolved.phrase or None,
        "signed_start": resolved.start,
        "signed_end": resolved.end,
        "signed_precision": resolved.precision.value,
        "signed_edtf": resolved.edtf,
    }


def _bump_revision(session: Session) -> None:
    documents = session.execute(
        select(Document.slug, Document.sha256, Document.seed_sha256).order_by(Document.slug)
    ).all()
    row = session.get(DataRevision, 1)
    # Chained to the revision before: writes through the API change the data between loads too,
    # so the same documents again must not bring back an old revision (and its ETags).
    earlier = "" if row is None else row.revision
    digest = hashlib.sha256((earlier + repr([tuple(d) for d in documents])).encode()).hexdigest()
    if row is None:
        session.add(DataRevision(id=1, revision=digest, changed_at=datetime.now(UTC)))
    elif row.revision != digest:
        row.revision, row.changed_at = digest, datetime.now(UTC)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _strings(item)
