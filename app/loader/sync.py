"""Idempotent upserts: make the table rows match the seed, counting what really changed.

A second load of the same seed touches nothing, so ids, the data revision and
therefore ETags stay stable.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

Key = tuple[Any, ...]


@dataclass
class Changes:
    inserted: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def any(self) -> bool:
        return bool(+self.inserted or +self.updated or +self.deleted)


class Sync:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.changes = Changes()
        self._index: dict[type, dict[Key, Any]] = {}
        self._seen: dict[type, set[Key]] = {}
        self._keys: dict[type, tuple[str, ...]] = {}

    def upsert(
        self, model: type, key: dict[str, Any], *, on_insert: dict[str, Any] | None = None, **values: Any
    ) -> Any:
        """The row of `model` with `key`, inserted or updated to hold `values`.

        `on_insert` are set on a new row only: values derived later from all the documents
        (an initiative's current status), which this document alone must not reset."""
        key_names = tuple(key)
        self._keys.setdefault(model, key_names)
        index = self._existing(model, key_names)
        key_value = tuple(key.values())
        self._seen.setdefault(model, set()).add(key_value)
        table = model.__tablename__  # type: ignore[attr-defined]
        row = index.get(key_value)
        if row is None:
            row = model(**key, **(on_insert or {}), **values)
            self.session.add(row)
            index[key_value] = row
            self.changes.inserted[table] += 1
            return row
        dirty = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                dirty = True
        if dirty:
            self.changes.updated[table] += 1
        else:
            self.changes.unchanged[table] += 1
        return row

    def prune(self, model: type, candidates: Iterable[Any]) -> None:
        """Delete the candidate rows that the seed no longer holds."""
        key_names = self._keys.get(model)
        seen = self._seen.get(model, set())
        table = model.__tablename__  # type: ignore[attr-defined]
        for row in candidates:
            key_value = tuple(getattr(row, name) for name in key_names) if key_names else None
            if key_value is None or key_value not in seen:
                self.session.delete(row)
                self.changes.deleted[table] += 1
        self.session.flush()

    def seen(self, model: type, key: dict[str, Any]) -> bool:
        """Whether this load has already upserted the row of `model` with `key`."""
        return tuple(key.values()) in self._seen.get(model, set())

    def update(self, row: Any, **values: Any) -> None:
        """Set derived values on a row, counting it as updated only when one changed."""
        dirty = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                dirty = True
        if dirty:
            self.changes.updated[row.__tablename__] += 1

    def _existing(self, model: type, key_names: tuple[str, ...]) -> dict[Key, Any]:
        if model not in self._index:
            rows: Sequence[Any] = self.session.scalars(select(model)).all()
            self._index[model] = {tuple(getattr(r, k) for k in key_names): r for r in rows}
        return self._index[model]
