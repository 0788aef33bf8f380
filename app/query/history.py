"""An initiative's history in one chronological list: its status statements, what became of
its targets (reached, superseded, missed) and the figures reported about it, as one UNION ALL
filtered by the initiative first, paged by keyset on (effective date, document date, kind, id)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    bindparam,
    case,
    func,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from app.models import Document, Initiative, Metric, MetricSeries, Milestone, StatusStatement, TargetReached
from app.models.vocab import DateQualifier, HistoryKind, MilestoneKind, MilestoneOutcome
from app.query import dated, entries
from app.query.cursor import CursorScope, decode_cursor, encode_cursor, filters_digest
from app.query.engine import Page, nest
from app.query.errors import NotFound
from app.query.hints import Rare
from app.query.prepared import planned_each_time

COLUMNS = {
    **entries.ORDER,
    **entries.EFFECTIVE,
    **entries.DOCUMENT,
    **entries.SOURCE,
    **entries.STATUS,
    **entries.milestone_columns("milestone"),
    **entries.OUTCOME,
    **entries.milestone_columns("superseded_by"),
    **entries.SERIES,
    **entries.FIGURE,
    **entries.RECORDED,
    **entries.WITHDRAWN,
}
# Entries of the same effective date and document come in this order (then by id).
RANKS = {kind: rank for rank, kind in enumerate(HistoryKind)}
ORDER = "effective_on,published_on,kind,id"
KEY_TYPES: list[type] = [date, date, int, int]
INITIATIVE_ID_LIMIT = 2**31  # INTEGER on PostgreSQL: a larger id cannot exist


@dataclass(frozen=True)
class HistoryRequest:
    """What a client asked of a history, validated for type and range. `today` decides which
    targets are missed when neither `as_of` nor `known_at` is earlier."""

    kinds: Sequence[HistoryKind] = ()  # empty: every kind
    as_of: date | None = None  # only what took effect by this day
    known_at: date | None = None  # only what documents published by this day said
    today: date = field(default_factory=date.today)
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class _Shape:
    """What the SQL depends on (its values are bound): one statement is built per shape."""

    kinds: tuple[HistoryKind, ...]
    as_of: bool
    known_at: bool
    after: bool


def history(connection: Connection, key: str, request: HistoryRequest) -> Page:
    """One page of the history of the initiative with id or slug `key` (NotFound if none)."""
    with planned_each_time(connection):
        return _history(connection, key, request)


def _history(connection: Connection, key: str, request: HistoryRequest) -> Page:
    initiative_id = _initiative_id(connection, key)
    kinds = tuple(kind for kind in HistoryKind if kind in request.kinds or not request.kinds)
    values: dict[str, Any] = {"initiative_id": initiative_id, "today": request.today, "limit": request.limit + 1}
    if request.as_of is not None:
        values["as_of"] = request.as_of
    if request.known_at is not None:
        values["known_at"] = request.known_at
    scope = CursorScope(
        f"the history of initiative {initiative_id}", ORDER, filters_digest(kinds, request.as_of, request.known_at)
    )
    if request.cursor:
        after = decode_cursor(request.cursor, scope, KEY_TYPES)
        values.update({f"k_{i}": value for i, value in enumerate(after)})
    shape = _Shape(kinds, request.as_of is not None, request.known_at is not None, bool(request.cursor))
    rows = [dict(row) for row in connection.execute(_statement(shape), values).mappings()]
    next_cursor = None
    if len(rows) > request.limit:
        rows = rows[: request.limit]
        last = rows[-1]
        key_values = [last["effective__on"], last["document__published_on"], last["rank"], last["entry_id"]]
        next_cursor = encode_cursor(scope, key_values)
    return Page(items=[entries.finish(nest(row)) for row in rows], next_cursor=next_cursor)


def _initiative_id(connection: Connection, key: str) -> int:
    if key.isdigit():
        found = (
            int(key) < INITIATIVE_ID_LIMIT
            and connection.execute(select(Initiative.id).where(Initiative.id == int(key))).scalar_one_or_none()
        )
    else:
        found = connection.execute(select(Initiative.id).where(Initiative.slug == key)).scalar_one_or_none()
    if not found:
        raise NotFound("initiative", key)
    return int(found)


INITIATIVE = bindparam("initiative_id", type_=Integer)


@lru_cache(maxsize=256)
def _statement(shape: _Shape) -> Select[Any]:
    builders = {
        HistoryKind.STATUS: _statuses,
        HistoryKind.TARGET_REACHED: _reached,
        HistoryKind.TARGET_SUPERSEDED: _superseded,
        HistoryKind.TARGET_MISSED: _missed,
        HistoryKind.OBSERVATION: _observations,
    }
    branches = [builders[kind](shape) for kind in shape.kinds]
    entry = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("entry")
    key = [entry.c["effective__on"], entry.c["document__published_on"], entry.c["rank"], entry.c["entry_id"]]
    statement = select(entry).order_by(*key).limit(bindparam("limit", type_=Integer))
    if shape.after:
        types: list[Any] = [Date, Date, Integer, Integer]
        bound = [bindparam(f"k_{i}", type_=kind) for i, kind in enumerate(types)]
        statement = statement.where(tuple_(*key) > tuple_(*bound))
    return statement


def _visible(shape: _Shape, effective_on: Any, published_on: Any) -> list[ColumnElement[bool]]:
    """What `as_of` and `known_at` keep: in effect by the one, said by a document of the other."""
    conditions = []
    if shape.as_of:
        conditions.append(effective_on <= bindparam("as_of", type_=Date))
    if shape.known_at:
        conditions.append(published_on <= bindparam("known_at", type_=Date))
    return conditions


def _head(kind: HistoryKind, entry_id: Any) -> dict[str, Any]:
    return {"kind": entries.constant(kind.value), "rank": entries.constant(RANKS[kind]), "entry_id": entry_id}


def _statuses(shape: _Shape) -> Select[Any]:
    """Status statements, each standing one with the status of the standing one before it (of those
    the request can see); a withdrawn statement is listed where it was, with no previous status."""
    s, d = StatusStatement, Document
    standing = s.withdrawn_at.is_(None)
    previous = func.lag(s.status).over(partition_by=standing, order_by=(s.effective_on, d.published_on, s.id))
    columns = {
        **_head(HistoryKind.STATUS, s.id),
        **entries.effective_of(s),
        **entries.document_of(d),
        **entries.source_of(s),
        "status": s.status,
        "previous_status": case((standing, previous)),
        **entries.recorded_of(s),
        **entries.withdrawn_of(s),
    }
    return (
        select(*entries.row(COLUMNS, columns))
        .select_from(s)
        .join(d, d.id == s.document_id)
        .where(s.initiative_id == INITIATIVE, *_visible(shape, s.effective_on, d.published_on))
    )


def _reached(shape: _Shape) -> Select[Any]:
    m, r, d = Milestone, TargetReached, Document
    columns = {
        **_head(HistoryKind.TARGET_REACHED, r.id),
        **entries.effective_of(r),
        **entries.document_of(d),
        **entries.source_of(r),
        **entries.milestone_of(m, "milestone"),
        "outcome": dated.outcome_of_reaching(m, r.effective_on),
        **entries.recorded_of(r),
        **entries.withdrawn_of(r),
    }
    return (
        select(*entries.row(COLUMNS, columns))
        .select_from(m)
        .join(r, r.milestone_id == m.id)
        .join(d, d.id == r.document_id)
        .where(m.initiative_id == INITIATIVE, *_visible(shape, r.effective_on, d.published_on))
    )


def _superseded(shape: _Shape) -> Select[Any]:
    """A target replaced by a later document's: effective on that document's date."""
    old, new, d = aliased(Milestone, name="old"), aliased(Milestone, name="new"), Document
    columns = {
        **_head(HistoryKind.TARGET_SUPERSEDED, new.id),
        **entries.effective_on_day(d.published_on),
        **entries.document_of(d),
        **entries.source_of(new),
        **entries.milestone_of(old, "milestone"),
        **entries.milestone_of(new, "superseded_by"),
        **entries.recorded_of(new),
    }
    return (
        select(*entries.row(COLUMNS, columns))
        .select_from(old)
        .join(new, Rare(new.supersedes_id == old.id))
        .join(d, d.id == new.document_id)
        .where(old.initiative_id == INITIATIVE, *_visible(shape, d.published_on, d.published_on))
    )


def _missed(shape: _Shape) -> Select[Any]:
    """A target whose latest possible date has come (by today, and by `as_of`/`known_at`)
    with nothing the request can see reaching it (app/query/dated.py states the rule). Dated at
    that day; it cites the target's own words."""
    target, d = aliased(Milestone, name="target"), Document
    today = bindparam("today", type_=Date)
    day = bindparam("as_of", type_=Date) if shape.as_of else today
    known = bindparam("known_at", type_=Date) if shape.known_at else None
    columns = {
        **_head(HistoryKind.TARGET_MISSED, target.id),
        **entries.effective_on_day(target.end_on),
        **entries.document_of(d),
        **entries.source_of(target),
        **entries.milestone_of(target, "milestone"),
        "outcome": entries.constant(MilestoneOutcome.MISSED.value),
    }
    return (
        select(*entries.row(COLUMNS, columns))
        .select_from(target)
        .join(d, d.id == target.document_id)
        .where(
            target.initiative_id == INITIATIVE,
            target.kind == MilestoneKind.TARGET.value,
            target.end_on <= today,
            *_visible(shape, target.end_on, d.published_on),
            *([target.end_on <= known] if known is not None else []),
            dated.missed_on_its_date(target, day, known),
        )
    )


def _observations(shape: _Shape) -> Select[Any]:
    """Figures reported about the initiative, effective at the end of the period they are as of."""
    m, s, d = Metric, MetricSeries, Document
    columns = {
        **_head(HistoryKind.OBSERVATION, m.id),
        "effective__phrase": m.as_of_phrase,
        "effective__start": m.as_of_start,
        "effective__end": m.as_of_end,
        "effective__precision": m.as_of_precision,
        "effective__qualifier": entries.constant(DateQualifier.ON.value),
        "effective__edtf": m.as_of_edtf,
        "effective__on": m.as_of_end,
        **entries.document_of(d),
        **entries.source_of(m),
        **entries.series_of(s),
        **entries.figure_of(m),
        **entries.recorded_of(m),
    }
    return (
        select(*entries.row(COLUMNS, columns))
        .select_from(m)
        .join(s, s.id == m.series_id)
        .join(d, d.id == m.document_id)
        .where(m.initiative_id == INITIATIVE, *_visible(shape, m.as_of_end, d.published_on))
    )
