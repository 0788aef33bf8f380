"""What curators recorded through the API, written out in the seed format (`coop export --seed DIR`)
for review and commit: each document recorded through the API as `<slug>.txt` and `<slug>.yaml`
(loadable with `coop seed`), and what they recorded quoting a seed document as
`<slug>.additions.yaml.txt`, the sections to merge into that document's seed file by hand.

Every file is validated as a seed file (app/loader/records.py) before it is written. Withdrawn
statements are left out: a seed holds what stands."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.loader.records import DocumentRecord, SeedFile
from app.models import (
    Agreement,
    AgreementParty,
    Area,
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
    Place,
    Post,
    StatusStatement,
    TargetReached,
)
from app.models.vocab import OrganisationRole

ADDITIONS = ".additions.yaml.txt"  # not *.yaml: `coop seed` must not load it as a document of its own


@dataclass(frozen=True)
class ExportedSeed:
    document: str
    path: Path
    records: int


class _Slugs:
    """Slugs by id, read once per table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tables: dict[type, dict[int, str]] = {}

    def __call__(self, model: type, id_: int | None) -> str | None:
        if id_ is None:
            return None
        if model not in self._tables:
            rows = self.session.execute(select(model.id, model.slug))  # type: ignore[attr-defined]
            self._tables[model] = {row.id: row.slug for row in rows}
        return self._tables[model][id_]


def export_seed(engine: Engine, folder: Path) -> list[ExportedSeed]:
    folder.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        sections = _sections(session)
        documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(sections)))}
        exported = []
        for document_id, by_section in sorted(sections.items(), key=lambda item: documents[item[0]].published_on):
            document = documents[document_id]
            exported.append(_write(folder, document, by_section))
        return exported


def _write(folder: Path, document: Document, sections: dict[str, list[dict[str, Any]]]) -> ExportedSeed:
    header = DocumentRecord(
        slug=document.slug,
        title=document.title,
        issuer=document.issuer,
        published_on=document.published_on,
        url=document.url,
        file=f"{document.slug}.txt",
    )
    SeedFile.model_validate({"document": header.model_dump(), **sections})  # the loader would read it
    records = sum(len(records) for records in sections.values())
    if document.recorded_by is not None:
        (folder / f"{document.slug}.txt").write_text(document.text, encoding="utf-8")
        content: dict[str, Any] = {"document": header.model_dump(mode="json", exclude_none=True), **sections}
        path = folder / f"{document.slug}.yaml"
        comment = "# Recorded through the API; exported by coop export --seed. Review, then commit.\n"
    else:
        content = sections
        path = folder / f"{document.slug}{ADDITIONS}"
        comment = f"# Recorded through the API quoting {document.slug}: merge into its seed file by hand.\n"
    path.write_text(comment + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=110), "utf-8")
    return ExportedSeed(document.slug, path, records)


def _sections(session: Session) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """document id -> section -> records, for every row recorded through the API."""
    slug = _Slugs(session)
    out: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    api_documents = set(session.scalars(select(Document.id).where(Document.recorded_by.is_not(None))))
    for document_id in api_documents:
        out[document_id]  # a document with no records yet is exported too

    def recorded(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.recorded_by.is_not(None)).order_by(model.id)))

    for place in recorded(Place):
        out[place.document_id]["places"].append(
            _clean(
                slug=place.slug,
                name=place.name,
                kind=place.kind,
                parent=slug(Place, place.parent_id),
                quote=place.quote,
            )
        )
    for organisation in recorded(Organisation):
        out[organisation.document_id]["organisations"].append(
            _clean(
                slug=organisation.slug,
                name=organisation.name,
                short_name=organisation.short_name,
                jurisdiction=organisation.jurisdiction,
                kind=organisation.kind,
                parent=slug(Organisation, organisation.parent_id),
                quote=organisation.quote,
            )
        )
    for official in recorded(Official):
        posts = session.scalars(select(Post).where(Post.official_id == official.id).order_by(Post.id)).all()
        document_id = posts[0].document_id
        out[document_id]["officials"].append(
            _clean(
                slug=official.slug,
                name=official.name,
                honorific=official.honorific,
                posts=[
                    _clean(
                        title=p.title,
                        organisation=slug(Organisation, p.organisation_id),
                        acting=p.acting or None,
                        quote=p.quote,
                    )
                    for p in posts
                ],
            )
        )
    first_statements = {}
    for initiative in recorded(Initiative):
        first = session.scalars(
            select(StatusStatement).where(
                StatusStatement.initiative_id == initiative.id, StatusStatement.document_id == initiative.document_id
            )
        ).one()
        first_statements[first.id] = True
        links = session.execute(
            select(InitiativeOrganisation.organisation_id, InitiativeOrganisation.role)
            .where(InitiativeOrganisation.initiative_id == initiative.id)
            .order_by(InitiativeOrganisation.id)
        ).all()
        places = session.scalars(select(InitiativePlace.place_id).where(InitiativePlace.initiative_id == initiative.id))
        out[initiative.document_id]["initiatives"].append(
            _clean(
                slug=initiative.slug,
                area=slug(Area, initiative.area_id),
                title=initiative.title,
                summary=initiative.summary,
                kind=initiative.kind,
                status=first.status,
                status_quote=first.quote,
                status_since=first.effective_phrase,
                quote=initiative.quote,
                lead=next((slug(Organisation, o) for o, role in links if role == OrganisationRole.LEAD.value), None),
                partners=[slug(Organisation, o) for o, role in links if role == OrganisationRole.PARTNER.value] or None,
                places=[slug(Place, p) for p in places] or None,
            )
        )
    for statement in recorded(StatusStatement):
        if statement.id in first_statements or statement.withdrawn_at is not None:
            continue
        out[statement.document_id]["status_updates"].append(
            _clean(
                initiative=slug(Initiative, statement.initiative_id),
                status=statement.status,
                when=statement.effective_phrase,
                quote=statement.quote,
            )
        )
    for agreement in recorded(Agreement):
        parties = session.scalars(
            select(AgreementParty.organisation_id).where(AgreementParty.agreement_id == agreement.id)
        )
        out[agreement.document_id]["agreements"].append(
            _clean(
                slug=agreement.slug,
                title=agreement.title,
                kind=agreement.kind,
                area=slug(Area, agreement.area_id),
                meeting=slug(Meeting, agreement.meeting_id),
                signed=agreement.signed_phrase,
                parties=[slug(Organisation, p) for p in parties] or None,
                initiative=slug(Initiative, agreement.initiative_id),
                quote=agreement.quote,
            )
        )
    for metric in recorded(Metric):
        series = session.get(MetricSeries, metric.series_id)
        assert series is not None
        starts_series = series.slug == metric.slug and series.recorded_by is not None
        out[metric.document_id]["metrics"].append(
            _clean(
                slug=metric.slug,
                series=None if starts_series else series.slug,
                label=metric.label if starts_series or metric.label != series.label else None,
                value=metric.value,
                previous_value=metric.previous_value,
                unit=series.unit if starts_series else None,
                qualifier=metric.qualifier,
                as_of=metric.as_of_phrase,
                area=slug(Area, metric.area_id) if starts_series else None,
                initiative=slug(Initiative, metric.initiative_id)
                if metric.initiative_id != series.initiative_id
                else None,
                quote=metric.quote,
            )
        )
    for milestone in recorded(Milestone):
        out[milestone.document_id]["milestones"].append(
            _clean(
                slug=milestone.slug,
                label=milestone.label,
                kind=milestone.kind,
                when=milestone.phrase,
                area=slug(Area, milestone.area_id),
                initiative=slug(Initiative, milestone.initiative_id),
                agreement=slug(Agreement, milestone.agreement_id),
                supersedes=slug(Milestone, milestone.supersedes_id),
                quote=milestone.quote,
            )
        )
    for reached in recorded(TargetReached):
        if reached.withdrawn_at is None:
            out[reached.document_id]["targets_reached"].append(
                _clean(
                    milestone=slug(Milestone, reached.milestone_id), when=reached.effective_phrase, quote=reached.quote
                )
            )
    return {document_id: dict(sections) for document_id, sections in out.items()}


def _clean(**fields: Any) -> dict[str, Any]:
    """A record as a curator would write it: no null or empty fields; whole numbers without '.0'."""
    return {
        name: int(value) if isinstance(value, float) and value.is_integer() else value
        for name, value in fields.items()
        if value is not None
    }
