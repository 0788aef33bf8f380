"""The declarative description of a resource: what it shows, and how it may be filtered,
sorted, faceted and embedded. app/query/engine.py is the one place that turns it into SQL.

Output columns are labelled with `__` for nesting ("area__slug" becomes
{"area": {"slug": ...}} in JSON and the column "area_slug" in CSV).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Date, FromClause, Select, and_, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db.base import VOCABULARY

# A filter turns the validated value of one query parameter into a WHERE condition.
Filter = Callable[[Any], ColumnElement[bool]]
# A mapped attribute (Initiative.title) or any SQL expression (Area.slug.label(...)).
SqlColumn = ColumnElement[Any] | InstrumentedAttribute[Any]


@dataclass(frozen=True)
class SortKey:
    column: SqlColumn
    python_type: type
    nullable: bool = False


@dataclass(frozen=True)
class Embed:
    """Related records loaded for a whole page in one query (no N+1)."""

    columns: Sequence[SqlColumn]
    parent: SqlColumn  # the column holding the embedding record's id
    from_: FromClause
    order_by: Sequence[SqlColumn]
    where: ColumnElement[bool] | None = None
    # Columns as of a date, like ResourceSpec.computed (a milestone's outcome).
    computed: Mapping[str, Callable[[Any], ColumnElement[Any]]] = field(default_factory=dict)
    # Related records of each related record, loaded for all of them at once (a post's sources):
    # the related records then carry their "id".
    embeds: Mapping[str, "Embed"] = field(default_factory=dict)

    def select_for(self, parent_ids: Sequence[Any]) -> Select[Any]:
        as_of = bindparam("as_of", type_=Date)
        computed = [make(as_of).label(name) for name, make in self.computed.items()]
        statement = select(self.parent.label("_parent"), *self.columns, *computed).select_from(self.from_)
        condition: ColumnElement[bool] = self.parent.in_(parent_ids)
        if self.where is not None:
            condition = and_(condition, self.where)
        return statement.where(condition).order_by(self.parent, *self.order_by)


@dataclass(frozen=True)
class Facet:
    value: SqlColumn
    from_: FromClause | None = None  # joined to the base table when the value lives elsewhere
    # A slug's record name, counted with it ("healthcare" -> "Healthcare"); every record of its table
    # is a possible value (listed with count 0 when asked).
    name: SqlColumn | None = None
    # The closed vocabulary of a coded value (its possible values and their names), when the value
    # is not a column that names it in its info (app/models/vocab.py).
    vocabulary: type[StrEnum] | None = None

    @property
    def value_vocabulary(self) -> type[StrEnum] | None:
        if self.vocabulary is not None:
            return self.vocabulary
        info = getattr(getattr(self.value, "expression", self.value), "info", {})
        found: type[StrEnum] | None = info.get(VOCABULARY)
        return found


@dataclass(frozen=True)
class FacetTable:
    """A derived table holding, per record and period, the values some facets count as of a date
    (app/models/derived.py), read instead of working out each record's value as of the date.

    It answers a facet request when every filter of the request is one of its `filters` (the
    same names, on its own columns) and there is no `q`, no computed filter and no `known_at`
    (it holds what everything known says); else the facets are counted from the records."""

    from_: FromClause
    in_force: ColumnElement[bool]  # its rows in force on the bind parameter `as_of`
    filters: Mapping[str, Filter]
    facets: Mapping[str, Facet]


@dataclass(frozen=True)
class SearchThrough:
    """Full-text search by the entries of another resource: a record matches when one of its
    related records does (a metric series when one of its observations does)."""

    resource: str  # the search_entry.resource whose entries are matched
    record_id: SqlColumn  # that resource's id
    own_id: SqlColumn  # in the same table: the id of the record of this resource it belongs to


@dataclass(frozen=True)
class ResourceSpec:
    name: str  # the plural noun of the URL, also the search_entry.resource value
    singular: str
    id_column: InstrumentedAttribute[int]
    slug_column: InstrumentedAttribute[str] | None
    from_: FromClause
    columns: Sequence[SqlColumn]
    # The smallest FROM giving the same counts, for totals and facets: joins that only add
    # columns (inner joins on NOT NULL foreign keys, outer joins on keys) cost a lookup per row.
    count_from: FromClause | None = None
    detail_columns: Sequence[SqlColumn] = ()  # shown on the detail page only
    filters: Mapping[str, Filter] = field(default_factory=dict)
    sort_keys: Mapping[str, SortKey] = field(default_factory=dict)
    default_sort: str = "id"
    embeds: Mapping[str, Embed] = field(default_factory=dict)
    facets: Mapping[str, Facet] = field(default_factory=dict)
    # Columns that depend on a request value (e.g. due_state as of a date).
    # They take the date as a bind parameter (or a date), so one compiled statement serves every day.
    computed: Mapping[str, Callable[[Any], ColumnElement[Any]]] = field(default_factory=dict)
    computed_filters: Mapping[str, Callable[[Any, Any], ColumnElement[bool]]] = field(default_factory=dict)
    # The date a record was first reported (its document's publication): with `known_at`, later
    # records are not listed, and their detail says when they were first reported.
    first_reported: SqlColumn | None = None
    # The same resource read from its history, for requests giving `as_of` or `known_at`: the
    # same names (columns, filters, sorts, facets, embeds), as they stood on `as_of` (bind
    # parameter) by what documents published by `known_at` (bind parameter) said. Without
    # either, the resource is read as it stands today, from its stored current state.
    history: "ResourceSpec | None" = None
    # Facets as of a date from a derived table, when it can answer the request (FacetTable).
    facet_table: FacetTable | None = None
    # A condition every list of this spec applies (the history's: what is known by `known_at`).
    where: ColumnElement[bool] | None = None
    # Distinguishes a history spec from its resource in the statement cache.
    variant: str = ""
    # What `as_of` changes, for its documentation ("status, due and due_state").
    as_of_reads: str = ""

    @property
    def shape_name(self) -> str:
        """The resource's name in statement shapes: the history's statements differ from today's."""
        return f"{self.name}@{self.variant}" if self.variant else self.name

    @property
    def reads_a_date(self) -> bool:
        """Whether its records depend on a date (default today): computed columns, here or embedded."""
        return bool(self.computed) or any(embed.computed for embed in self.embeds.values())

    # `q` matches the resource's own search entries unless it has none and searches through another's.
    search_through: SearchThrough | None = None

    @property
    def counting_from(self) -> FromClause:
        return self.from_ if self.count_from is None else self.count_from

    @property
    def output_labels(self) -> list[str]:
        """The flat output column labels, in order (the CSV header)."""
        return [column.key for column in self.columns if column.key] + list(self.computed)
