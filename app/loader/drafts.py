"""Records still marked as drafts (`coop draft`'s `draft:` mark): refused until reviewed."""

from collections.abc import Iterator
from pathlib import Path

from app.loader.records import Record, SeedFile

__all__ = ["drafts_in"]


def _marked(label: str, record: Record) -> Iterator[str]:
    if record.draft is not None:
        slug = getattr(record, "slug", None)
        name = f"{label} ({slug})" if slug else label
        yield f"{name}: still a draft (confidence {record.draft.confidence:.2f}; {record.draft.reason})"
    for field, value in record:
        if isinstance(value, Record):  # the document, a post's `replaces`
            yield from _marked(f"{label}.{field}", value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Record):  # an official's posts
                    yield from _marked(f"{label}.{field}[{index}]", item)


def drafts_in(path: Path, seed: SeedFile) -> list[str]:
    """One line per record of `seed` still marked as a draft, naming file and record."""
    found: list[str] = []
    for section, value in seed:
        if isinstance(value, Record):
            found += (f"{path.name}: {line}" for line in _marked(section, value))
        else:
            for index, record in enumerate(value):
                found += (f"{path.name}: {line}" for line in _marked(f"{section}[{index}]", record))
    return found
