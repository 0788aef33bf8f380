"""Planner hints SQLAlchemy has no construct for, each rendered only where it means something."""

from typing import Any

from sqlalchemy import Boolean, ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class Rare(ColumnElement[bool]):
    """A condition few rows meet, such as `supersedes_id = ...` on a column that is mostly NULL.

    SQLite's ANALYZE counts all the NULLs of an index as one key, so after it the planner reads
    `milestone.supersedes_id = ?` as matching every row and scans the table instead of seeking
    the index. On SQLite this renders `unlikely(condition)`, which keeps the index usable and
    tells the planner the truth; PostgreSQL's statistics know the NULL fraction, so elsewhere it
    is the condition itself."""

    inherit_cache = True
    # Part of the statement's cache key, so that SQLAlchemy compiles the statement once.
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]
    type = Boolean()
    _is_implicitly_boolean = True  # a condition already: never rendered as `... = 1`

    def __init__(self, condition: ColumnElement[bool]) -> None:
        self.condition = condition

    @property
    def _from_objects(self) -> Any:  # the tables the condition refers to, for correlation
        return self.condition._from_objects


@compiles(Rare)
def _plain(element: Rare, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.condition, **kw)


@compiles(Rare, "sqlite")
def _unlikely(element: Rare, compiler: SQLCompiler, **kw: Any) -> str:
    return f"unlikely({compiler.process(element.condition, **kw)})"
