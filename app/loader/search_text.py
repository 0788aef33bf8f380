"""What each record contributes to the full-text index (title and body of its search entry)."""

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.loader.sync import Sync
from app.models import (
    Agreement,
    Area,
    Document,
    Initiative,
    Meeting,
    Metric,
    Milestone,
    Official,
    Organisation,
    Place,
    Post,
    SearchEntry,
)


def _join(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def _official_titles(session: Session) -> dict[int, str]:
    titles: dict[int, list[str]] = {}
    for official_id, title in session.execute(select(Post.official_id, Post.title)):
        titles.setdefault(official_id, []).append(title)
    return {official_id: "; ".join(items) for official_id, items in titles.items()}


# resource -> (query, row -> (slug, title, body))
Extractor = tuple[Any, Callable[[Row[Any]], tuple[str, str, str]]]


def extractors(session: Session) -> dict[str, Extractor]:
    titles = _official_titles(session)
    return {
        "initiatives": (
            select(
                Initiative.id,
                Initiative.slug,
                Initiative.title,
                Initiative.summary,
                Initiative.quote,
            ),
            lambda r: (r.slug, r.title, _join(r.summary, r.quote)),
        ),
        "agreements": (
            select(Agreement.id, Agreement.slug, Agreement.title, Agreement.quote),
            lambda r: (r.slug, r.title, r.quote),
        ),
        "metrics": (
            select(Metric.id, Metric.slug, Metric.label, Metric.quote),
            lambda r: (r.slug, r.label, r.quote),
        ),
        "milestones": (
            select(Milestone.id, Milestone.slug, Milestone.label, Milestone.phrase, Milestone.quote),
            lambda r: (r.slug, r.label, _join(r.phrase, r.quote)),
        ),
        "areas": (
            select(Area.id, Area.slug, Area.name, Area.summary),
            lambda r: (r.slug, r.name, r.summary),
        ),
        "organisations": (
            select(Organisation.id, Organisation.slug, Organisation.name, Organisation.short_name),
            lambda r: (r.slug, r.name, _join(r.short_name)),
        ),
        "officials": (
            select(Official.id, Official.slug, Official.name),
            lambda r: (r.slug, r.name, titles.get(r.id, "")),
        ),
        "places": (
            select(Place.id, Place.slug, Place.name, Place.quote),
            lambda r: (r.slug, r.name, r.quote),
        ),
        "meetings": (
            select(Meeting.id, Meeting.slug, Meeting.name, Meeting.city),
            lambda r: (r.slug, r.name, r.city),
        ),
        "documents": (
            select(Document.id, Document.slug, Document.title, Document.text),
            lambda r: (r.slug, r.title, r.text),
        ),
    }


def sync_search_entries(session: Session, sync: Sync) -> None:
    """Make search_entry hold exactly one up-to-date entry per searchable record."""
    session.flush()
    for resource, (query, extract) in extractors(session).items():
        for row in session.execute(query):
            slug, title, body = extract(row)
            sync.upsert(
                SearchEntry,
                {"resource": resource, "record_id": row.id},
                slug=slug,
                title=title,
                body=body,
            )
    all_entries: Iterable[SearchEntry] = session.scalars(select(SearchEntry))
    sync.prune(SearchEntry, all_entries)


def sync_search_entry(session: Session, sync: Sync, resource: str, record_id: int) -> None:
    """Make one record's search entry up to date (a write through the API: one record at a time)."""
    session.flush()
    query, extract = extractors(session)[resource]
    for row in session.execute(query.where(query.selected_columns[0] == record_id)):
        slug, title, body = extract(row)
        sync.upsert(SearchEntry, {"resource": resource, "record_id": row.id}, slug=slug, title=title, body=body)
    session.flush()
