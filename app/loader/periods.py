"""The derived tables reads at scale rely on, rebuilt in SQL from the history: each
initiative's status periods (app/models/derived.py) and each series' latest figure
(`metric.latest_of_series`). Whole tables for a seed load, `coop synth` and migration 0006;
the touched initiatives or series for a write through the API.

The tables are written here as lightweight `table()` clauses naming only the columns these
statements use (all present since migration 0006), so the migration runs them unchanged
whatever later revisions add to the models.
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, column, delete, false, func, insert, literal, or_, select, table, true, tuple_
from sqlalchemy import update as update_rows
from sqlalchemy.orm import Session

# The bounds of an initiative's first and last periods: every day falls in exactly one period.
BEGINNING = date(1, 1, 1)
END = date(9999, 12, 31)

_statement = table(
    "status_statement",
    column("id"),
    column("initiative_id"),
    column("document_id"),
    column("status"),
    column("effective_on", Date),
    column("withdrawn_at"),
)
_document = table("document", column("id"), column("published_on", Date))
_initiative = table("initiative", column("id"), column("area_id"), column("kind"), column("status"))
_period = table(
    "status_period",
    column("initiative_id"),
    column("from_on", Date),
    column("until_on", Date),
    column("status"),
    column("area_id"),
    column("kind"),
)
_metric = table("metric", column("id"), column("series_id"), column("as_of_end", Date), column("latest_of_series"))


def _within(column: Any, ids: Collection[int] | None) -> list[Any]:
    """The condition keeping the rows of `ids` (none: every row)."""
    return [] if ids is None else [column.in_(list(ids))]


def derive_status_periods(connection: Connection | Session, initiative_ids: Collection[int] | None = None) -> None:
    """Rewrite the status periods of `initiative_ids` (None: of every initiative).

    The status as of a day D is that of the latest statement taking effect by D (by effective
    date, then the later document, then the later statement), or, before any took effect, of
    the earliest (app/query/dated.py, `status_statement_as_of`, without `known_at`). So each
    distinct effective date starts a period with the last statement of that day, and a first
    period from BEGINNING holds the earliest statement; consecutive periods of one status are
    merged. An initiative whose every statement was withdrawn keeps its stored status throughout."""
    scope = _within(_statement.c.initiative_id, initiative_ids)
    statement, document = _statement.c, _document.c
    ordered = (
        select(
            statement.initiative_id,
            statement.status,
            statement.effective_on,
            func.row_number()
            .over(
                partition_by=(statement.initiative_id, statement.effective_on),
                order_by=(document.published_on.desc(), statement.id.desc()),
            )
            .label("last_of_day"),
            func.row_number()
            .over(
                partition_by=statement.initiative_id,
                order_by=(statement.effective_on, document.published_on, statement.id),
            )
            .label("position"),
        )
        .join(_document, document.id == statement.document_id)
        .where(statement.withdrawn_at.is_(None), *scope)
        .subquery("ordered")
    )
    starts = (
        select(ordered.c.initiative_id, ordered.c.status, ordered.c.effective_on.label("from_on"))
        .where(ordered.c.last_of_day == 1)
        .union_all(
            select(ordered.c.initiative_id, ordered.c.status, literal(BEGINNING, Date).label("from_on")).where(
                ordered.c.position == 1
            )
        )
        .subquery("starts")
    )
    marked = select(
        starts.c.initiative_id,
        starts.c.status,
        starts.c.from_on,
        func.lag(starts.c.status)
        .over(partition_by=starts.c.initiative_id, order_by=starts.c.from_on)
        .label("status_before"),
    ).subquery("marked")
    runs = (
        select(marked.c.initiative_id, marked.c.status, marked.c.from_on)
        .where(or_(marked.c.status_before.is_(None), marked.c.status_before != marked.c.status))
        .subquery("runs")
    )
    initiative = _initiative.c
    periods = select(
        runs.c.initiative_id,
        runs.c.from_on,
        func.coalesce(
            func.lead(runs.c.from_on).over(partition_by=runs.c.initiative_id, order_by=runs.c.from_on),
            literal(END, Date),
        ),
        runs.c.status,
        initiative.area_id,
        initiative.kind,
    ).join(_initiative, initiative.id == runs.c.initiative_id)
    # NOT EXISTS, not NOT IN: PostgreSQL runs a NOT IN over millions of ids as a subplan per row.
    with_statements = (
        select(literal(1)).where(statement.initiative_id == initiative.id, statement.withdrawn_at.is_(None)).exists()
    )
    unstated = select(
        initiative.id,
        literal(BEGINNING, Date),
        literal(END, Date),
        initiative.status,
        initiative.area_id,
        initiative.kind,
    ).where(
        ~with_statements,
        *_within(initiative.id, initiative_ids),
    )
    columns = ["initiative_id", "from_on", "until_on", "status", "area_id", "kind"]
    connection.execute(
        delete(_period).where(*_within(_period.c.initiative_id, initiative_ids)),
    )
    connection.execute(insert(_period).from_select(columns, periods))
    connection.execute(insert(_period).from_select(columns, unstated))


def derive_latest_observations(connection: Connection | Session, series_ids: Collection[int] | None = None) -> None:
    """Mark each series' latest figure (by as_of_end, then id: the order of `/metrics/summary`)
    among `series_ids` (None: every series), and unmark the others."""
    if series_ids is None:
        _mark_every_latest(connection)
        return
    metric, newest = _metric.c, _metric.alias("newest").c  # aliased: not correlated with the UPDATE's rows
    for series_id in sorted(series_ids):
        # One seek of ix_metric_series_id_as_of_end; then the series' few marked rows.
        latest = (
            select(newest.id)
            .where(newest.series_id == series_id)
            .order_by(newest.as_of_end.desc(), newest.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        connection.execute(
            update_rows(_metric)
            .where(metric.series_id == series_id, metric.latest_of_series == true(), metric.id != latest)
            .values(latest_of_series=false()),
        )
        connection.execute(
            update_rows(_metric)
            .where(metric.id == latest, metric.latest_of_series == false())
            .values(latest_of_series=true()),
        )


def _mark_every_latest(connection: Connection | Session) -> None:
    """Every series at once, set-based: a figure is its series' latest when no later one exists."""
    metric = _metric.c
    later = _metric.alias("later")
    # A later figure of the same series (one seek of ix_metric_series_id_as_of_end per figure).
    superseded = (
        select(literal(1))
        .where(
            later.c.series_id == metric.series_id,
            tuple_(later.c.as_of_end, later.c.id) > tuple_(metric.as_of_end, metric.id),
        )
        .exists()
    )
    connection.execute(
        update_rows(_metric).where(metric.latest_of_series == true(), superseded).values(latest_of_series=false()),
    )
    connection.execute(
        update_rows(_metric).where(metric.latest_of_series == false(), ~superseded).values(latest_of_series=true()),
    )
