"""/milestones: dated events and targets, filtered by what their intervals allow; each target
with its outcome as of a date."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement

from app.models import Agreement, Area, Document, Initiative, Milestone
from app.query import dated
from app.query.filters import any_of, at_least, at_most, slug_in
from app.query.resources.common import area_reference, reference, source
from app.query.spec import Embed, Facet, ResourceSpec, SortKey, SqlColumn

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


def outcome(as_of: Any) -> ColumnElement[str | None]:
    """A target's outcome as of a date, by everything the register knows."""
    return dated.outcome(Milestone, as_of)


def outcome_known(as_of: Any) -> ColumnElement[str | None]:
    """A target's outcome as of a date, by what documents published by `known_at` said."""
    return dated.outcome(Milestone, as_of, dated.known_at())


def _outcome_in(make: Callable[[Any], ColumnElement[str | None]]) -> Callable[[Any, Sequence[str]], Any]:
    return lambda as_of, outcomes: make(as_of).in_(list(outcomes))


# The outcome of every milestone shown, on its own or embedded in another record.
OUTCOME = {"outcome": outcome}
OUTCOME_KNOWN = {"outcome": outcome_known}


def milestones_of(parent: SqlColumn, *, known: bool = False) -> Embed:
    """A record's milestones, in date order, with their outcomes; from the history, only those
    reported by `known_at`."""
    if not known:
        return Embed(
            columns=MILESTONE_COLUMNS,
            parent=parent,
            from_=Milestone.__table__,
            order_by=[Milestone.start_on, Milestone.id],
            computed=OUTCOME,
        )
    return Embed(
        columns=MILESTONE_COLUMNS,
        parent=parent,
        from_=Milestone.__table__.join(Document, Document.id == Milestone.document_id),
        order_by=[Milestone.start_on, Milestone.id],
        where=Document.published_on <= dated.known_at(),
        computed=OUTCOME_KNOWN,
    )


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
    computed=OUTCOME,
    computed_filters={"outcome": _outcome_in(outcome)},
    sort_keys={
        "id": SortKey(Milestone.id, int),
        "slug": SortKey(Milestone.slug, str),
        "start": SortKey(Milestone.start_on, date),
        "end": SortKey(Milestone.end_on, date, nullable=True),
        "kind": SortKey(Milestone.kind, str),
    },
    facets={
        "area": Facet(Area.slug, name=Area.name),
        "kind": Facet(Milestone.kind),
        "precision": Facet(Milestone.precision),
    },
    first_reported=Document.published_on,
    as_of_reads="each target's `outcome`",
)

MILESTONES = replace(
    MILESTONES,
    history=replace(
        MILESTONES,
        variant="history",
        count_from=None,  # the condition below needs the document
        where=Document.published_on <= dated.known_at(),
        computed=OUTCOME_KNOWN,
        computed_filters={"outcome": _outcome_in(outcome_known)},
    ),
)
