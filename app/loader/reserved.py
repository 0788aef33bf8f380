"""Slugs a record may not take: the fixed sub-paths of its collection in the API, where a record
of that slug would be unreachable (`/metrics/summary` is the summary, never the figure
"summary"). tests/test_reserved_slugs.py checks this against the API's routes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reserved:
    collection: str  # the collection's path, as /<collection>/<slug>
    sub_paths: frozenset[str]


# By table name: only collections with fixed sub-paths are listed.
RESERVED_SLUGS: dict[str, Reserved] = {
    "metric": Reserved("metrics", frozenset({"series", "summary"})),
}


def reserved_problem(table: str, slug: str) -> str | None:
    """Why `slug` cannot name a record of `table`, or None if it can."""
    reserved = RESERVED_SLUGS.get(table)
    if reserved is None or slug not in reserved.sub_paths:
        return None
    return (
        f"slug {slug!r} is the API's fixed path /{reserved.collection}/{slug}: the record would be "
        "unreachable there; choose another slug"
    )
