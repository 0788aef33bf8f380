"""The changes as an Atom feed (RFC 4287), written by feedgen: one entry per change, linking
to the record's API URL and citing the document's words and title."""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from feedgen.feed import FeedGenerator

from app.models.vocab import ChangeKind

ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
FEED_TITLE = "Hong Kong/Guangdong co-operation commitments: changes"
FEED_AUTHOR = "Hong Kong/Guangdong Co-operation Commitments register"
# Entry ids are name-based UUIDs of what identifies a change, so they stay the same from one
# request, reload or host to the next, as Atom asks.
ENTRY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:hkgd-coop:change")
NO_ENTRIES = date(1970, 1, 1)  # a feed's <updated> when nothing matches


def entry_id(change: dict[str, Any]) -> str:
    record = change["record"]
    name = f"{change['document']['slug']}/{change['kind']}/{record['type']}/{record['slug']}/{_detail_id(change)}"
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, name)}"


def _detail_id(change: dict[str, Any]) -> int | str:
    """What tells apart two changes of one kind about one record in one document (two posts)."""
    post = change.get("post")
    return post["id"] if post else ""


def changes_feed(changes: Sequence[dict[str, Any]], feed_url: str, api_root: str, alternate_url: str) -> bytes:
    """The feed of `changes` (newest first); record URLs are made absolute against `api_root`."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(FEED_TITLE)
    feed.subtitle("What each document added or changed: new records, status changes, figures, targets, posts.")
    feed.author({"name": FEED_AUTHOR})
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.link(href=alternate_url, rel="alternate", type="application/json")
    feed.language("en")
    days = [change["document"]["published_on"] for change in changes]
    feed.updated(_instant(max(days, default=NO_ENTRIES)))
    for change in changes:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(change))
        entry.title(title(change))
        # One link, the record's: feedgen 1.0.0 writes an entry's links without their rel and type,
        # and an entry may hold only one alternate link of a type.
        entry.link(href=api_root + change["record"]["url"])
        published = _instant(change["document"]["published_on"])
        entry.published(published)
        entry.updated(published)
        entry.author({"name": change["document"]["issuer"]})
        entry.category(term=change["kind"], label=change["kind"].replace("_", " "))
        entry.summary(f"\u201c{change['source']['quote']}\u201d ({change['document']['title']})")
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def title(change: dict[str, Any]) -> str:
    """A headline for the change, in words."""
    label = change["record"]["label"]
    kind = ChangeKind(change["kind"])
    if kind is ChangeKind.RECORD_ADDED:
        return f"New {change['record']['type'].replace('_', ' ')}: {label}"
    if kind is ChangeKind.STATUS_CHANGED:
        before = change["previous_status"]
        moved = f"{_words(before)} \u2192 {_words(change['status'])}" if before else _words(change["status"])
        return f"{label}: {moved}"
    if kind is ChangeKind.OBSERVATION_ADDED:
        return f"{label}: {_number(change['value'])} {_words(change['unit'])} ({_words(change['qualifier'])})"
    if kind in (ChangeKind.POST_STARTED, ChangeKind.POST_ENDED):
        post = change["post"]
        verb = "now" if kind is ChangeKind.POST_STARTED else "no longer"
        return f"{label} {verb} {post['title']}, {post['organisation']['name']}"
    return f"{_words(kind.value).capitalize()}: {label}"  # the target kinds


def _words(value: str) -> str:
    return value.replace("_", " ")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
