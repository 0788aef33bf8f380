"""One query per kind of change a document makes, each selecting that document's rows (the
bound `document_id`; its date is bound as `published_on`) in id order: BRANCHES, in the order a
document's changes are listed. app/query/changes.py pages through them, skipping the kinds whose
`table` holds no row of the document (app/query/change_presence.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    func,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.orm import aliased

from app.models import (
    Agreement,
    Area,
    Document,
    Initiative,
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
from app.models.metric import MetricValue
from app.models.vocab import ChangeKind, DateQualifier, MilestoneOutcome, RecordType
from app.query import dated, entries

COLUMNS = {
    # A change's rank is its kind's place in BRANCHES, known without asking the database.
    **{name: kind for name, kind in entries.ORDER.items() if name != "rank"},
    **entries.EFFECTIVE,
    "record__type": String(),
    "record__id": Integer(),
    "record__slug": String(),
    "record__label": Text(),
    **entries.SOURCE,
    **entries.STATUS,
    **entries.SERIES,
    **entries.FIGURE,
    "previous_value": MetricValue,
    **entries.milestone_columns("milestone"),
    **entries.OUTCOME,
    **entries.milestone_columns("superseded_by"),
    "post__id": Integer(),
    "post__title": Text(),
    "post__acting": Boolean(),
    # Nested once more by app/query/changes.py: {"post": {..., "organisation": {"id", "slug", "name"}}}.
    "post__organisation_id": Integer(),
    "post__organisation_slug": String(),
    "post__organisation_name": Text(),
    **entries.RECORDED,
}
DOCUMENT = bindparam("document_id", type_=Integer)
PUBLISHED_ON = bindparam("published_on", type_=Date)  # the document's own date


@dataclass(frozen=True)
class Branch:
    """One kind of change from one table: `build(after)` selects a document's rows (id order,
    after the bound `after` id when asked). Every row it selects comes from a row of `table`
    whose `document_id` is the document's: without one, the kind has nothing to show."""

    kind: ChangeKind
    build: Callable[[ColumnElement[Any] | None], Select[Any]]
    table: Any


def _rows(
    kind: ChangeKind, entry_id: Any, after: ColumnElement[Any] | None, columns: dict[str, Any]
) -> tuple[list[ColumnElement[Any]], list[ColumnElement[bool]], Any]:
    """The SELECT list of one kind's rows, the keyset condition, and the order."""
    head = {"kind": entries.constant(kind.value), "entry_id": entry_id, **columns}
    conditions = [] if after is None else [entry_id > after]
    return entries.row(COLUMNS, head), conditions, entry_id


def _record(record_type: RecordType, model: Any, label: Any) -> dict[str, Any]:
    return {
        "record__type": entries.constant(record_type.value),
        "record__id": model.id,
        "record__slug": model.slug,
        "record__label": label,
    }


def _added(record_type: RecordType, model: Any, label: Any) -> Branch:
    """Records of a table that carries its quote, defined by the document."""

    def build(after: ColumnElement[Any] | None) -> Select[Any]:
        columns = {**_record(record_type, model, label), **entries.source_of(model), **entries.recorded_of(model)}
        select_list, keyset, order = _rows(ChangeKind.RECORD_ADDED, model.id, after, columns)
        return select(*select_list).where(model.document_id == DOCUMENT, *keyset).order_by(order)

    return Branch(ChangeKind.RECORD_ADDED, build, model)


def _areas_added(after: ColumnElement[Any] | None) -> Select[Any]:
    """An area's quote is the heading that first named it."""
    columns = {
        **_record(RecordType.AREA, Area, Area.name),
        "source__quote": Area.heading,
        "source__start": Area.heading_start,
        "source__end": Area.heading_start + func.length(Area.heading),
    }
    select_list, keyset, order = _rows(ChangeKind.RECORD_ADDED, Area.id, after, columns)
    return select(*select_list).where(Area.document_id == DOCUMENT, *keyset).order_by(order)


def _officials_added(after: ColumnElement[Any] | None) -> Select[Any]:
    """An official is added by the document of their first post, quoted there."""
    earlier, said_earlier = aliased(Post, name="earlier"), aliased(Document, name="said_earlier")
    first_here = aliased(Post, name="first_here")
    held_before = (
        select(literal_column("1"))
        .select_from(earlier)
        .join(said_earlier, said_earlier.id == earlier.document_id)
        .where(
            earlier.official_id == Post.official_id,
            tuple_(said_earlier.published_on, said_earlier.id) < tuple_(PUBLISHED_ON, DOCUMENT),
        )
        .exists()
    )
    first_post_here = (
        select(func.min(first_here.id))
        .where(first_here.official_id == Post.official_id, first_here.document_id == DOCUMENT)
        .scalar_subquery()
    )
    columns = {
        **_record(RecordType.OFFICIAL, Official, Official.name),
        **entries.source_of(Post),
        **entries.recorded_of(Post),
    }
    select_list, keyset, order = _rows(ChangeKind.RECORD_ADDED, Official.id, after, columns)
    return (
        select(*select_list)
        .select_from(Post)
        .join(Official, Official.id == Post.official_id)
        .where(Post.document_id == DOCUMENT, Post.id == first_post_here, ~held_before, *keyset)
        .order_by(order)
    )


def _series_added(after: ColumnElement[Any] | None) -> Select[Any]:
    """A new series, quoted by its first observation in the document."""
    observation = aliased(Metric, name="observation")
    first = (
        select(func.min(observation.id))
        .where(observation.series_id == MetricSeries.id, observation.document_id == DOCUMENT)
        .scalar_subquery()
    )
    columns = {
        **_record(RecordType.METRIC_SERIES, MetricSeries, MetricSeries.label),
        **entries.source_of(Metric),
        **entries.recorded_of(MetricSeries),
    }
    select_list, keyset, order = _rows(ChangeKind.RECORD_ADDED, MetricSeries.id, after, columns)
    return (
        select(*select_list)
        .select_from(MetricSeries)
        .join(Metric, Metric.id == first)
        .where(MetricSeries.document_id == DOCUMENT, *keyset)
        .order_by(order)
    )


def _status_changes(after: ColumnElement[Any] | None) -> Select[Any]:
    """Statements about initiatives defined earlier whose status differs from the one before
    (the latest earlier statement by effective date, then document date, then id)."""
    s = StatusStatement
    earlier, said_earlier = aliased(StatusStatement, name="earlier"), aliased(Document, name="said_earlier")
    previous = (
        select(earlier.status)
        .select_from(earlier)
        .join(said_earlier, said_earlier.id == earlier.document_id)
        .where(
            earlier.initiative_id == s.initiative_id,
            earlier.withdrawn_at.is_(None),
            tuple_(earlier.effective_on, said_earlier.published_on, earlier.id)
            < tuple_(s.effective_on, PUBLISHED_ON, s.id),
        )
        .order_by(earlier.effective_on.desc(), said_earlier.published_on.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    columns = {
        **_record(RecordType.INITIATIVE, Initiative, Initiative.title),
        **entries.effective_of(s),
        **entries.source_of(s),
        "status": s.status,
        "previous_status": previous,
        **entries.recorded_of(s),
    }
    select_list, keyset, order = _rows(ChangeKind.STATUS_CHANGED, s.id, after, columns)
    return (
        select(*select_list)
        .select_from(s)
        .join(Initiative, Initiative.id == s.initiative_id)
        .where(
            s.document_id == DOCUMENT,
            s.withdrawn_at.is_(None),
            Initiative.document_id != DOCUMENT,  # its first statement comes with the record
            previous.is_distinct_from(s.status),
            *keyset,
        )
        .order_by(order)
    )


def _observations(after: ColumnElement[Any] | None) -> Select[Any]:
    """New figures, each with the value of its series' observation before it."""
    m = Metric
    earlier, said_earlier = aliased(Metric, name="earlier"), aliased(Document, name="said_earlier")
    previous = (
        select(earlier.value)
        .select_from(earlier)
        .join(said_earlier, said_earlier.id == earlier.document_id)
        .where(
            earlier.series_id == m.series_id,
            tuple_(earlier.as_of_end, said_earlier.published_on, earlier.id) < tuple_(m.as_of_end, PUBLISHED_ON, m.id),
        )
        .order_by(earlier.as_of_end.desc(), said_earlier.published_on.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    columns = {
        **_record(RecordType.METRIC, m, m.label),
        "effective__phrase": m.as_of_phrase,
        "effective__start": m.as_of_start,
        "effective__end": m.as_of_end,
        "effective__precision": m.as_of_precision,
        "effective__qualifier": entries.constant(DateQualifier.ON.value),
        "effective__edtf": m.as_of_edtf,
        "effective__on": m.as_of_end,
        **entries.source_of(m),
        **entries.series_of(MetricSeries),
        **entries.figure_of(m),
        "previous_value": previous,
        **entries.recorded_of(m),
    }
    select_list, keyset, order = _rows(ChangeKind.OBSERVATION_ADDED, m.id, after, columns)
    return (
        select(*select_list)
        .select_from(m)
        .join(MetricSeries, MetricSeries.id == m.series_id)
        .where(m.document_id == DOCUMENT, *keyset)
        .order_by(order)
    )


def _targets_reached(kind: ChangeKind, outcome: MilestoneOutcome) -> Branch:
    def build(after: ColumnElement[Any] | None) -> Select[Any]:
        r, m = TargetReached, Milestone
        reached = dated.outcome_of_reaching(m, r.effective_on)
        columns = {
            **_record(RecordType.MILESTONE, m, m.label),
            **entries.effective_of(r),
            **entries.source_of(r),
            **entries.milestone_of(m, "milestone"),
            "outcome": reached,
            **entries.recorded_of(r),
        }
        select_list, keyset, order = _rows(kind, r.id, after, columns)
        return (
            select(*select_list)
            .select_from(r)
            .join(m, m.id == r.milestone_id)
            .where(r.document_id == DOCUMENT, r.withdrawn_at.is_(None), reached == outcome.value, *keyset)
            .order_by(order)
        )

    return Branch(kind, build, TargetReached)


def _superseded(after: ColumnElement[Any] | None) -> Select[Any]:
    """New targets replacing earlier ones: the change is about the earlier target."""
    old, new = aliased(Milestone, name="old"), aliased(Milestone, name="new")
    columns = {
        **_record(RecordType.MILESTONE, old, old.label),
        **entries.source_of(new),
        **entries.milestone_of(old, "milestone"),
        "outcome": entries.constant(MilestoneOutcome.SUPERSEDED.value),
        **entries.milestone_of(new, "superseded_by"),
        **entries.recorded_of(new),
    }
    select_list, keyset, order = _rows(ChangeKind.TARGET_SUPERSEDED, new.id, after, columns)
    return (
        select(*select_list)
        .select_from(new)
        .join(old, old.id == new.supersedes_id)
        .where(new.document_id == DOCUMENT, *keyset)
        .order_by(order)
    )


def _post(post: Any) -> dict[str, Any]:
    return {
        **_record(RecordType.OFFICIAL, Official, Official.name),
        "post__id": post.id,
        "post__title": post.title,
        "post__acting": post.acting,
        "post__organisation_id": Organisation.id,
        "post__organisation_slug": Organisation.slug,
        "post__organisation_name": Organisation.name,
    }


def _posts_started(after: ColumnElement[Any] | None) -> Select[Any]:
    columns = {**_post(Post), **entries.source_of(Post)}
    select_list, keyset, order = _rows(ChangeKind.POST_STARTED, Post.id, after, columns)
    return (
        select(*select_list)
        .select_from(Post)
        .join(Official, Official.id == Post.official_id)
        .join(Organisation, Organisation.id == Post.organisation_id)
        .where(Post.document_id == DOCUMENT, *keyset)
        .order_by(order)
    )


def _posts_ended(after: ColumnElement[Any] | None) -> Select[Any]:
    """Posts ended by the document's new post for the same official, quoted there."""
    ended, successor = aliased(Post, name="ended"), aliased(Post, name="successor")
    columns = {**_post(ended), **entries.source_of(successor)}
    select_list, keyset, order = _rows(ChangeKind.POST_ENDED, ended.id, after, columns)
    return (
        select(*select_list)
        .select_from(successor)
        .join(ended, ended.replaced_by_id == successor.id)
        .join(Official, Official.id == ended.official_id)
        .join(Organisation, Organisation.id == ended.organisation_id)
        .where(successor.document_id == DOCUMENT, *keyset)
        .order_by(order)
    )


# A document's changes, in this order: its new records, broadest first, then what it says
# about records defined earlier. The position in this list is the `rank` of the keyset.
BRANCHES: list[Branch] = [
    Branch(ChangeKind.RECORD_ADDED, _areas_added, Area),
    _added(RecordType.PLACE, Place, Place.name),
    _added(RecordType.ORGANISATION, Organisation, Organisation.name),
    Branch(ChangeKind.RECORD_ADDED, _officials_added, Post),
    _added(RecordType.MEETING, Meeting, Meeting.name),
    _added(RecordType.INITIATIVE, Initiative, Initiative.title),
    _added(RecordType.AGREEMENT, Agreement, Agreement.title),
    Branch(ChangeKind.RECORD_ADDED, _series_added, MetricSeries),
    _added(RecordType.MILESTONE, Milestone, Milestone.label),
    Branch(ChangeKind.STATUS_CHANGED, _status_changes, StatusStatement),
    Branch(ChangeKind.OBSERVATION_ADDED, _observations, Metric),
    _targets_reached(ChangeKind.TARGET_MET, MilestoneOutcome.MET),
    _targets_reached(ChangeKind.TARGET_MET_LATE, MilestoneOutcome.MET_LATE),
    Branch(ChangeKind.TARGET_SUPERSEDED, _superseded, Milestone),  # the new target's document
    Branch(ChangeKind.POST_STARTED, _posts_started, Post),
    Branch(ChangeKind.POST_ENDED, _posts_ended, Post),  # the successor's document
]
