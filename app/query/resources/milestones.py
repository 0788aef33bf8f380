"""/milestones: dated events and targets, filtered by what their intervals allow."""

from datetime import date

from app.models import Agreement, Area, Document, Initiative, Milestone
from app.query.filters import any_of, at_least, at_most, slug_in
from app.query.resources.common import area_reference, reference, source
from app.query.spec import Facet, ResourceSpec, SortKey, SqlColumn

MILESTONE_COLUMNS: list[SqlColumn] = [
    Milestone.id,
    Milestone.slug,
    Milestone.label,
    Milestone.kind,
    Milestone.phrase,
    Milestone.start_on.label("start"),
    Milestone.end_on.label("end"),
    Milestone.precision,
    Milestone.qualifier,
    Milestone.edtf,
]

MILESTONES = ResourceSpec(
    name="milestones",
    singular="milestone",
    id_column=Milestone.id,
    slug_column=Milestone.slug,
    from_=Milestone.__table__.join(Area, Area.id == Milestone.area_id)
    .join(Document, Document.id == Milestone.document_id)
    .outerjoin(Initiative, Initiative.id == Milestone.initiative_id)
    .outerjoin(Agreement, Agreement.id == Milestone.agreement_id),
    count_from=Milestone.__table__.join(Area, Area.id == Milestone.area_id),
    columns=[
        *MILESTONE_COLUMNS,
        *area_reference(),
        *reference(Initiative, "initiative", "title"),
        *reference(Agreement, "agreement", "title"),
        *source(Milestone),
    ],
    filters={
        "area": slug_in(Milestone.area_id, Area),
        "kind": any_of(Milestone.kind),
        "precision": any_of(Milestone.precision),
        "initiative": slug_in(Milestone.initiative_id, Initiative),
        "agreement": slug_in(Milestone.agreement_id, Agreement),
        "document": slug_in(Milestone.document_id, Document),
        # An imprecise date is kept only if its whole interval lies on the right side.
        "date_from": at_least(Milestone.start_on),
        "date_to": at_most(Milestone.end_on),
    },
    sort_keys={
        "id": SortKey(Milestone.id, int),
        "slug": SortKey(Milestone.slug, str),
        "start": SortKey(Milestone.start_on, date),
        "end": SortKey(Milestone.end_on, date, nullable=True),
        "kind": SortKey(Milestone.kind, str),
    },
    facets={
        "area": Facet(Area.slug),
        "kind": Facet(Milestone.kind),
        "precision": Facet(Milestone.precision),
    },
)
