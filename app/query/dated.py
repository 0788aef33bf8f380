"""The register as it stood on a date: SQL expressions that read the history (status statements,
targets reached, targets superseded) as of `as_of`, by what documents published by `known_at` said.

Each takes its dates as bind parameters, so one compiled statement serves every day; each is a
correlated scalar subquery or EXISTS that seeks an index of the history per record
(docs/VOCABULARY.md states the rules; docs/PERFORMANCE.md the plans). Statements are compared on
`effective_on`, the day by which each certainly held (the same interval rule as the date filters);
a target, a superseding target and a record count from their document's publication.
"""

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    ScalarSelect,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from app.models import Document, Milestone, StatusStatement, TargetReached
from app.models.vocab import COMPLETED_STATUSES, DueState, MilestoneKind, MilestoneOutcome
from app.query.hints import Rare

Day = ColumnElement[Any]  # a date: a bind parameter, or a column


def as_of() -> Day:
    """The day the register is read as of (a bind parameter)."""
    return bindparam("as_of", type_=Date)


def known_at() -> Day:
    """The day the register is read as known at: documents published after it are ignored."""
    return bindparam("known_at", type_=Date)


def _known(document: Any, known: Day | None) -> list[ColumnElement[bool]]:
    return [] if known is None else [document.published_on <= known]


def status_statement_as_of(initiative_id: Any, day: Day, known: Day | None, column: str = "id") -> ColumnElement[Any]:
    """The id (or another column) of an initiative's status statement as of `day`: the latest
    taking effect by then (ties: the later document, then the later statement), as
    app/loader/derived.py stores today's; or, when none had yet taken effect, its earliest."""
    statement, document = aliased(StatusStatement), aliased(Document)
    statements = (
        select(getattr(statement, column))
        .join(document, document.id == statement.document_id)
        .where(statement.initiative_id == initiative_id, statement.withdrawn_at.is_(None), *_known(document, known))
    )
    latest = (
        statements.where(statement.effective_on <= day)
        .order_by(statement.effective_on.desc(), document.published_on.desc(), statement.id.desc())
        .limit(1)
    )
    earliest = statements.order_by(statement.effective_on, document.published_on, statement.id).limit(1)
    return func.coalesce(latest.scalar_subquery(), earliest.scalar_subquery())


def _superseded(target: Any, day: Day, known: Day | None) -> ColumnElement[bool]:
    """A later target replaced it, set by a document published by `day` (and by `known`).

    An uncorrelated IN: the few superseded ids are read once per statement, through
    ix_milestone_supersedes_id. SQLite's statistics count the NULLs (nearly every milestone) as
    one value, which makes the index look useless for `= id` and `IS NOT NULL`: a correlated
    EXISTS, or IS NOT NULL, scans every milestone. Ids start at 1, so `> 0` is IS NOT NULL as a
    range, which it seeks."""
    successor, document = aliased(Milestone), aliased(Document)
    superseded_ids = (
        select(successor.supersedes_id)
        .join(document, document.id == successor.document_id)
        .where(successor.supersedes_id > 0, document.published_on <= day, *_known(document, known))
    )
    return target.id.in_(superseded_ids)


def target_in_force(initiative_id: Any, day: Day, known: Day | None, column: str = "id") -> ScalarSelect[Any]:
    """The id (or another column) of an initiative's target in force on `day`: of the targets set
    by documents published by then and not yet superseded, the one due last (as the loader
    stores today's)."""
    target, document = aliased(Milestone), aliased(Document)
    return (
        select(getattr(target, column))
        .join(document, document.id == target.document_id)
        .where(
            target.initiative_id == initiative_id,
            # `|| ''`: without planner statistics SQLite would seek every target through
            # ix_milestone_kind_id rather than the initiative's few milestones.
            target.kind.concat("") == MilestoneKind.TARGET.value,
            target.end_on.is_not(None),
            document.published_on <= day,
            *_known(document, known),
            ~_superseded(target, day, known),
        )
        .order_by(target.end_on.desc(), target.start_on.desc(), target.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _completed(status: Any) -> ColumnElement[bool]:
    """Done, as promised or modified. (Not IN (...): a list would be an "expanding" parameter,
    which a statement compiled once cannot take.)"""
    return or_(*(status == value.value for value in COMPLETED_STATUSES))


def due_state(status: Any, due_start: Any, due_end: Any, day: Day) -> ColumnElement[str]:
    """An initiative against its target on `day` (DueState)."""
    return case(
        (due_end.is_(None), DueState.NO_TARGET.value),
        (_completed(status), DueState.COMPLETED.value),
        (due_end < day, DueState.OVERDUE.value),
        (due_start <= day, DueState.DUE_WINDOW.value),
        else_=DueState.NOT_YET_DUE.value,
    )


def reached_in_time(target: Any, reached_on: Any) -> ColumnElement[bool]:
    """Reached by the target's latest possible date (an open-ended target any time): `met`, else `met_late`."""
    return or_(target.end_on.is_(None), reached_on <= target.end_on)


def outcome_of_reaching(target: Any, reached_on: Any) -> ColumnElement[str]:
    """What reaching a target on `reached_on` makes of it: met, or met late."""
    return case(
        (reached_in_time(target, reached_on), MilestoneOutcome.MET.value), else_=MilestoneOutcome.MET_LATE.value
    )


def said_reached(target: Any, day: Day, known: Day | None, *, in_time: bool | None = None) -> ColumnElement[bool]:
    """A statement in effect by `day` says the target was reached (a target reached, or its
    initiative completed as promised or modified): in time (`in_time` True: by its latest
    possible date), late (False: after it), or either (None).

    In time or late compares with the target's own end (a correlation PostgreSQL cannot turn
    into a hash of every statement, as it would for a lookup by id alone): one index seek per target."""
    reached, reached_in = aliased(TargetReached), aliased(Document)
    completed, completed_in = aliased(StatusStatement), aliased(Document)

    def when(effective_on: Any) -> list[ColumnElement[bool]]:
        if in_time is None:
            return [effective_on <= day]
        if in_time:
            return [effective_on <= day, reached_in_time(target, effective_on)]
        return [effective_on <= day, effective_on > target.end_on]

    said_it = exists().where(
        reached.milestone_id == target.id,
        reached.withdrawn_at.is_(None),
        *when(reached.effective_on),
        *([] if known is None else [reached_in.id == reached.document_id, reached_in.published_on <= known]),
    )
    said_completed = exists().where(
        completed.initiative_id == target.initiative_id,
        completed.withdrawn_at.is_(None),
        _completed(completed.status),
        *when(completed.effective_on),
        *([] if known is None else [completed_in.id == completed.document_id, completed_in.published_on <= known]),
    )
    return or_(said_it, said_completed)


def missed_on_its_date(target: Any, day: Day, known: Day | None) -> ColumnElement[bool]:
    """The history's event: a target is missed *on* its latest possible date, by `day`, when
    nothing in effect by `day` reached it and no new target was set in its place by that date.
    (As a state, `outcome`, it is still pending that day and missed from the next.)"""
    return and_(
        target.end_on.is_not(None),
        target.end_on <= day,
        ~said_reached(target, day, known),
        ~_replaced_by(target, target.end_on, known),
    )


def _replaced_by(target: Any, day: Day, known: Day | None) -> ColumnElement[bool]:
    """`_superseded` for one target at a time: a correlated EXISTS that seeks the superseding
    targets of this one (Rare: on SQLite, through ix_milestone_supersedes_id whatever ANALYZE says)."""
    successor, document = aliased(Milestone, name="successor"), aliased(Document, name="said_successor")
    return (
        select(literal_column("1"))
        .select_from(successor)
        .join(document, document.id == successor.document_id)
        .where(Rare(successor.supersedes_id == target.id), document.published_on <= day, *_known(document, known))
        .exists()
    )


def outcome(milestone: Any, day: Day, known: Day | None = None) -> ColumnElement[str | None]:
    """What became of a target milestone by `day` (MilestoneOutcome); null for other milestones."""
    return case(
        (milestone.kind != MilestoneKind.TARGET.value, null()),
        (_superseded(milestone, day, known), MilestoneOutcome.SUPERSEDED.value),
        (said_reached(milestone, day, known, in_time=True), MilestoneOutcome.MET.value),
        (said_reached(milestone, day, known, in_time=False), MilestoneOutcome.MET_LATE.value),
        (and_(milestone.end_on.is_not(None), milestone.end_on < day), MilestoneOutcome.MISSED.value),
        else_=MilestoneOutcome.PENDING.value,
    )
