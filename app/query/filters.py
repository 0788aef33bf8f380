"""Filter builders shared by the resource specs: each returns a Filter for one parameter."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from app.query.spec import Filter


def any_of(column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> Filter:
    """`param=a&param=b`: the column equals one of the values."""
    return lambda values: column.in_(list(values))


@dataclass(frozen=True)
class SlugFilter:
    """A filter whose values are slugs of `model`'s records. The declaration lets the engine
    refuse a value that names no record (a typo would otherwise be an empty answer) and
    suggest the closest slugs that exist."""

    model: Any
    condition: Callable[[Sequence[str]], ColumnElement[bool]]

    def __call__(self, slugs: Sequence[str]) -> ColumnElement[bool]:
        return self.condition(slugs)


def slug_in(foreign_key: InstrumentedAttribute[Any], model: Any) -> Filter:
    """Filter on a related record by its slug, through the foreign key (index-friendly).

    Each slug becomes a scalar subquery: SQLite's planner seeks a (foreign key, id) index
    for `fk = (SELECT ...)` and `fk IN ((SELECT ...), ...)`, but scans the whole table
    for `fk IN (SELECT ... WHERE slug IN ...)`. An unknown slug matches nothing either way.
    """

    def condition(slugs: Sequence[str]) -> ColumnElement[bool]:
        ids = [select(model.id).where(model.slug == slug).scalar_subquery() for slug in slugs]
        return foreign_key == ids[0] if len(ids) == 1 else foreign_key.in_(ids)

    return SlugFilter(model, condition)


def linked_slug_in(
    own_id: InstrumentedAttribute[int],
    link_own: InstrumentedAttribute[int],
    link_other: InstrumentedAttribute[int],
    model: Any,
) -> Filter:
    """Filter through a many-to-many link table by the other side's slug."""

    def condition(slugs: Sequence[str]) -> ColumnElement[bool]:
        other_ids = select(model.id).where(model.slug.in_(list(slugs)))
        return own_id.in_(select(link_own).where(link_other.in_(other_ids)))

    return SlugFilter(model, condition)


def at_least(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column >= value


def at_most(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column <= value
