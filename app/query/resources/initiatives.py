"""/initiatives: commitments, with their due state as of any date; and as they stood on any date,
from their history."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import aliased

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
    StatusPeriod,
    StatusStatement,
)
from app.models.vocab import InitiativeStatus, OrganisationRole
from app.query import dated
from app.query.filters import SlugFilter, any_of, at_least, at_most, linked_slug_in, slug_in
from app.query.resources.common import area_reference, source
from app.query.resources.metrics import metrics_of
from app.query.resources.milestones import milestones_of
from app.query.spec import Embed, Facet, FacetTable, ResourceSpec, SortKey


def due_state(as_of: Any) -> ColumnElement[str]:
    """Today's state against the target, from the stored current status and due window."""
    return dated.due_state(Initiative.status, Initiative.due_start, Initiative.due_end, as_of)


def due_state_in(as_of: Any, states: Sequence[str]) -> ColumnElement[bool]:
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
        "meeting": SlugFilter(Meeting, _in_meeting),
        "due_from": at_least(Initiative.due_start),
        "due_to": at_most(Initiative.due_end),
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
        "metrics": metrics_of(Metric.initiative_id),
        "milestones": milestones_of(Milestone.initiative_id),
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
        "area": Facet(Area.slug, name=Area.name),
        "status": Facet(Initiative.status),
        "kind": Facet(Initiative.kind),
    },
    first_reported=Document.published_on,
    as_of_reads="`status`, `status_quote`, `due` and `due_state`",
)


# -- the history: each initiative as it stood on `as_of`, by what was published by `known_at` --

_AS_OF, _KNOWN_AT = dated.as_of(), dated.known_at()
# The initiative's status statement and target in force on `as_of`, joined by id (one seek each).
_Status = aliased(StatusStatement, name="status_as_of")
_Due = aliased(Milestone, name="due_as_of")
_STATUS = func.coalesce(_Status.status, Initiative.status)  # every initiative has a statement
_FROM_HISTORY = INITIATIVES.from_.outerjoin(
    _Status, _Status.id == dated.status_statement_as_of(Initiative.id, _AS_OF, _KNOWN_AT)
).outerjoin(_Due, _Due.id == dated.target_in_force(Initiative.id, _AS_OF, _KNOWN_AT))


# The same values as per-row scalar subqueries, for filters. A filter on a joined column lets
# PostgreSQL's planner hash-join every initiative with every statement and sort (0.4 s at 20k);
# in the WHERE clause they are evaluated row by row along the keyset's index scan, which stops
# once the page is full.
def _status_statement(column: str) -> Any:
    return dated.status_statement_as_of(Initiative.id, _AS_OF, _KNOWN_AT, column)


def _target(column: str) -> Any:
    return dated.target_in_force(Initiative.id, _AS_OF, _KNOWN_AT, column)


def due_state_as_of(as_of: Any) -> ColumnElement[str]:
    return dated.due_state(_STATUS, _Due.start_on, _Due.end_on, as_of)


def _due_state_as_of_in(as_of: Any, states: Sequence[str]) -> ColumnElement[bool]:
    status = func.coalesce(_status_statement("status"), Initiative.status)
    return dated.due_state(status, _target("start_on"), _target("end_on"), as_of).in_(list(states))


def _in_history(columns: Sequence[Any]) -> list[Any]:
    """Today's columns, with status and due window as of the date."""
    as_of = {
        "status": _STATUS.label("status"),
        "status_quote": func.coalesce(_Status.quote, Initiative.status_quote).label("status_quote"),
        "due__start": _Due.start_on.label("due__start"),
        "due__end": _Due.end_on.label("due__end"),
    }
    return [as_of.get(column.key, column) for column in columns]


def _known(embed: Embed, document_id: Any) -> Embed:
    """An embed of records reported by `known_at` only."""
    document = aliased(Document)
    return replace(
        embed,
        from_=embed.from_.join(document, document.id == document_id),
        where=document.published_on <= _KNOWN_AT,
    )


# Facets as of a date for everything known: counted from the status periods in force that day.
_STATUS_PERIODS = FacetTable(
    from_=StatusPeriod.__table__,
    in_force=and_(StatusPeriod.from_on <= _AS_OF, StatusPeriod.until_on > _AS_OF),
    filters={
        "area": slug_in(StatusPeriod.area_id, Area),
        "kind": any_of(StatusPeriod.kind),
        "status": any_of(StatusPeriod.status),
    },
    facets={
        "area": Facet(Area.slug, from_=Area.__table__, name=Area.name),
        "status": Facet(StatusPeriod.status),
        "kind": Facet(StatusPeriod.kind),
    },
)

INITIATIVES = replace(
    INITIATIVES,
    history=replace(
        INITIATIVES,
        variant="history",
        from_=_FROM_HISTORY,
        # Counts need neither the statement nor the target as of the date: the filters read
        # them per row (below), and joining them would look both up for every initiative.
        count_from=INITIATIVES.counting_from.join(Document, Document.id == Initiative.document_id),
        facet_table=_STATUS_PERIODS,
        columns=_in_history(INITIATIVES.columns),
        where=Document.published_on <= _KNOWN_AT,
        filters={
            **INITIATIVES.filters,
            "status": any_of(func.coalesce(_status_statement("status"), Initiative.status)),
            "due_from": at_least(_target("start_on")),
            "due_to": at_most(_target("end_on")),
        },
        computed={"due_state": due_state_as_of},
        computed_filters={"due_state": _due_state_as_of_in},
        sort_keys={
            **INITIATIVES.sort_keys,
            "status": SortKey(_STATUS, str),
            "due": SortKey(_Due.end_on, date, nullable=True),
        },
        embeds={
            **INITIATIVES.embeds,
            "metrics": metrics_of(Metric.initiative_id, known=True),
            "milestones": milestones_of(Milestone.initiative_id, known=True),
            "agreements": _known(INITIATIVES.embeds["agreements"], Agreement.document_id),
        },
        # Per row, like the filters: the counts are made without the joined statement as of the date.
        facets={
            **INITIATIVES.facets,
            "status": Facet(func.coalesce(_status_statement("status"), Initiative.status), vocabulary=InitiativeStatus),
        },
    ),
)
