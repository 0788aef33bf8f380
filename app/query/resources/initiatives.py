"""/initiatives: commitments, with their due state as of any date."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, case, select

from app.models import (
    Agreement,
    Area,
    Document,
    Initiative,
    InitiativeOrganisation,
    InitiativePlace,
    Meeting,
    Metric,
    Milestone,
    Organisation,
    Place,
)
from app.models.vocab import DueState, InitiativeStatus, OrganisationRole
from app.query.filters import any_of, at_least, at_most, linked_slug_in, slug_in
from app.query.resources.common import area_reference, source
from app.query.resources.metrics import METRIC_COLUMNS
from app.query.resources.milestones import MILESTONE_COLUMNS
from app.query.spec import Embed, Facet, ResourceSpec, SortKey


def due_state(as_of: date) -> ColumnElement[str]:
    return case(
        (Initiative.due_end.is_(None), DueState.NO_TARGET.value),
        (Initiative.status == InitiativeStatus.COMPLETED.value, DueState.COMPLETED.value),
        (Initiative.due_end < as_of, DueState.OVERDUE.value),
        (Initiative.due_start <= as_of, DueState.DUE_WINDOW.value),
        else_=DueState.NOT_YET_DUE.value,
    )


def due_state_in(as_of: date, states: Sequence[str]) -> ColumnElement[bool]:
    return due_state(as_of).in_(list(states))


def _in_meeting(slugs: Sequence[str]) -> ColumnElement[bool]:
    """Initiatives reported in the document of one of the meetings."""
    return Initiative.document_id.in_(select(Meeting.document_id).where(Meeting.slug.in_(list(slugs))))


INITIATIVES = ResourceSpec(
    name="initiatives",
    singular="initiative",
    id_column=Initiative.id,
    slug_column=Initiative.slug,
    from_=Initiative.__table__.join(Area, Area.id == Initiative.area_id).join(
        Document, Document.id == Initiative.document_id
    ),
    count_from=Initiative.__table__.join(Area, Area.id == Initiative.area_id),
    columns=[
        Initiative.id,
        Initiative.slug,
        Initiative.title,
        Initiative.summary,
        Initiative.kind,
        Initiative.status,
        Initiative.status_quote,
        Initiative.due_start.label("due__start"),
        Initiative.due_end.label("due__end"),
        *area_reference(),
        *source(Initiative),
    ],
    filters={
        "area": slug_in(Initiative.area_id, Area),
        "status": any_of(Initiative.status),
        "kind": any_of(Initiative.kind),
        "organisation": linked_slug_in(
            Initiative.id,
            InitiativeOrganisation.initiative_id,
            InitiativeOrganisation.organisation_id,
            Organisation,
        ),
        "place": linked_slug_in(Initiative.id, InitiativePlace.initiative_id, InitiativePlace.place_id, Place),
        "document": slug_in(Initiative.document_id, Document),
        "meeting": _in_meeting,
        "due_before": at_most(Initiative.due_end),
        "due_after": at_least(Initiative.due_start),
    },
    computed={"due_state": due_state},
    computed_filters={"due_state": due_state_in},
    sort_keys={
        "id": SortKey(Initiative.id, int),
        "slug": SortKey(Initiative.slug, str),
        "title": SortKey(Initiative.title, str),
        "status": SortKey(Initiative.status, str),
        "kind": SortKey(Initiative.kind, str),
        "due": SortKey(Initiative.due_end, date, nullable=True),
    },
    embeds={
        "metrics": Embed(
            columns=METRIC_COLUMNS,
            parent=Metric.initiative_id,
            from_=Metric.__table__,
            order_by=[Metric.id],
        ),
        "milestones": Embed(
            columns=MILESTONE_COLUMNS,
            parent=Milestone.initiative_id,
            from_=Milestone.__table__,
            order_by=[Milestone.start_on, Milestone.id],
        ),
        "agreements": Embed(
            columns=[Agreement.id, Agreement.slug, Agreement.title, Agreement.kind],
            parent=Agreement.initiative_id,
            from_=Agreement.__table__,
            order_by=[Agreement.id],
        ),
        "organisations": Embed(
            columns=[
                Organisation.id,
                Organisation.slug,
                Organisation.name,
                Organisation.short_name,
                Organisation.jurisdiction,
                InitiativeOrganisation.role,
            ],
            parent=InitiativeOrganisation.initiative_id,
            from_=InitiativeOrganisation.__table__.join(
                Organisation, Organisation.id == InitiativeOrganisation.organisation_id
            ),
            # The lead first, then partners.
            order_by=[
                case((InitiativeOrganisation.role == OrganisationRole.LEAD.value, 0), else_=1),
                Organisation.id,
            ],
        ),
        "places": Embed(
            columns=[Place.id, Place.slug, Place.name, Place.kind],
            parent=InitiativePlace.initiative_id,
            from_=InitiativePlace.__table__.join(Place, Place.id == InitiativePlace.place_id),
            order_by=[Place.id],
        ),
    },
    facets={
        "area": Facet(Area.slug),
        "status": Facet(Initiative.status),
        "kind": Facet(Initiative.kind),
    },
)
