"""State derived from every document once all are loaded: an initiative's current status
(its latest statement) and due window (its latest target still in force), and how long
officials held their posts. Stored so that today's reads need no history at all."""

from collections.abc import Collection, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from app.loader.periods import derive_latest_observations, derive_status_periods
from app.loader.sync import Sync
from app.models import Document, Initiative, Milestone, Official, Participation, Post, StatusStatement
from app.models.vocab import MilestoneKind


def remove_documents(session: Session, sync: Sync, keep: set[str]) -> None:
    """Delete the documents whose seed files are gone, and with them (ON DELETE CASCADE)
    every record and statement they contributed; then officials left with no post or role.
    A document recorded through the API has no seed file, and is never removed here."""
    session.flush()
    gone = session.scalars(select(Document).where(Document.slug.not_in(keep), Document.recorded_by.is_(None))).all()
    if not gone:
        return
    for document in gone:
        session.delete(document)
        sync.changes.deleted[Document.__tablename__] += 1
    session.flush()
    session.expire_all()
    in_use = select(Post.official_id).union(select(Participation.official_id))
    result = session.execute(delete(Official).where(Official.id.not_in(in_use), Official.recorded_by.is_(None)))
    sync.changes.deleted[Official.__tablename__] += result.rowcount  # type: ignore[attr-defined]


def derive_current_state(session: Session, sync: Sync, initiative_ids: Collection[int] | None = None) -> None:
    """Every record's derived state (with the status periods and each series' latest figure);
    or, given `initiative_ids` (what one write through the API touched), those initiatives'
    status, due window and status periods alone."""
    session.flush()
    _current_status(session, sync, initiative_ids)
    _due_windows(session, sync, initiative_ids)
    if initiative_ids is None:
        _post_periods(session, sync)
    session.flush()
    derive_status_periods(session, initiative_ids)
    if initiative_ids is None:
        derive_latest_observations(session)


def _initiatives(session: Session, initiative_ids: Collection[int] | None) -> Iterable[Initiative]:
    if initiative_ids is None:
        return session.scalars(select(Initiative))
    return session.scalars(select(Initiative).where(Initiative.id.in_(initiative_ids)))


def _current_status(session: Session, sync: Sync, initiative_ids: Collection[int] | None) -> None:
    """Each initiative's status is its latest statement by effective date (ties: the later
    document, then the later statement); a withdrawn statement no longer counts."""
    statements = session.execute(
        select(StatusStatement)
        .join(Document, Document.id == StatusStatement.document_id)
        .where(
            StatusStatement.withdrawn_at.is_(None),
            *([] if initiative_ids is None else [StatusStatement.initiative_id.in_(initiative_ids)]),
        )
        .order_by(
            StatusStatement.initiative_id,
            StatusStatement.effective_on,
            Document.published_on,
            StatusStatement.id,
        )
    ).scalars()
    latest = {statement.initiative_id: statement for statement in statements}
    for initiative in _initiatives(session, initiative_ids):
        statement = latest.get(initiative.id)
        if statement is None:
            continue
        sync.update(
            initiative,
            status=statement.status,
            status_quote=statement.quote,
            status_quote_start=statement.quote_start,
            status_quote_end=statement.quote_end,
        )


def _due_windows(session: Session, sync: Sync, initiative_ids: Collection[int] | None) -> None:
    """An initiative is due by its latest target that no later target superseded."""
    successor = aliased(Milestone)
    in_force = session.execute(
        select(Milestone.initiative_id, Milestone.start_on, Milestone.end_on)
        .where(
            Milestone.kind == MilestoneKind.TARGET.value,
            Milestone.initiative_id.is_not(None)
            if initiative_ids is None
            else Milestone.initiative_id.in_(initiative_ids),
            Milestone.end_on.is_not(None),
            ~select(successor.id).where(successor.supersedes_id == Milestone.id).exists(),
        )
        .order_by(Milestone.initiative_id, Milestone.end_on, Milestone.start_on)
    ).all()
    due = {row.initiative_id: (row.start_on, row.end_on) for row in in_force}
    for initiative in _initiatives(session, initiative_ids):
        start, end = due.get(initiative.id, (None, None))
        sync.update(initiative, due_start=start, due_end=end)


def _post_periods(session: Session, sync: Sync) -> None:
    """A post is held from its first source's date until the date of the post replacing it."""
    for post in session.scalars(select(Post)):
        held_from = session.scalar(select(Document.published_on).where(Document.id == post.document_id))
        successor = session.get(Post, post.replaced_by_id) if post.replaced_by_id else None
        held_until = None
        if successor is not None:
            held_until = session.scalar(select(Document.published_on).where(Document.id == successor.document_id))
        sync.update(post, held_from=held_from, held_until=held_until)
