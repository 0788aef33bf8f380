"""The one engine that turns a ResourceSpec and a typed request into SQL: filters,
full-text match, keyset pagination over any whitelisted sort, embeds, facets, counts."""

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.sql import ClauseElement, Executable

from app.models import DataRevision
from app.query import fulltext
from app.query.cursor import decode_cursor, encode_cursor
from app.query.errors import InvalidSort, NotFound, NotYetReported
from app.query.prepared import PLAN_EACH_TIME, STATEMENTS, Fetch, choose_fetch
from app.query.spec import Embed, Facet, ResourceSpec, SortKey

STREAM_BATCH = 1000
# `known_at` when a request does not give it: everything the register knows.
KNOWN_FOREVER = date(9999, 12, 31)


@dataclass(frozen=True)
class ListRequest:
    """What a client asked of a collection, already validated for type and range."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    computed_filters: Mapping[str, Any] = field(default_factory=dict)
    q: str | None = None
    sort: str | None = None
    limit: int = 50
    cursor: str | None = None
    include: Sequence[str] = ()
    facets: Sequence[str] = ()
    count: bool = False
    as_of: date | None = None  # read the register as it stood on this date (effective dates)...
    known_at: date | None = None  # ...from what documents published by this date said


def reading(spec: ResourceSpec, as_of: date | None, known_at: date | None) -> tuple[ResourceSpec, dict[str, date]]:
    """The spec that answers a request, and the dates its statements may take as bind parameters.

    Without `as_of` and `known_at`, today's state: the resource's own spec, reading the current
    state the loader stored (computed columns as of today). With either, its history spec: as of
    `as_of` (default `known_at`), from the documents published by `known_at` (default: all)."""
    if spec.history is not None and (as_of is not None or known_at is not None):
        return spec.history, {"as_of": as_of or known_at or date.today(), "known_at": known_at or KNOWN_FOREVER}
    return spec, {"as_of": as_of or date.today()}


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None = None
    facets: dict[str, list[dict[str, Any]]] | None = None


@dataclass(frozen=True)
class _Order:
    name: str
    key: SortKey
    descending: bool


class QueryEngine:
    """Runs list, detail, count and facet queries for a spec.

    Each query is built once per request *shape* (which filters, how many values each,
    which sort, whether a cursor or search is given) with named bind parameters, and
    afterwards only its values change: see app/query/prepared.py.
    """

    def __init__(self, connection: Connection, run: Fetch | None = None) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self.fulltext = fulltext.FullText(connection.dialect.name)
        # How every statement is run: app/query/prepared.py's shortcut unless the connection asks
        # for ordinary execution; tests/test_fast_path_differential.py passes one running both.
        self.run = run or choose_fetch(connection)

    # -- collections -------------------------------------------------------------------

    def page(self, spec: ResourceSpec, request: ListRequest) -> Page:
        spec, dates = reading(spec, request.as_of, request.known_at)
        orders = _parse_sort(spec, request.sort)
        signature = ",".join(("-" if o.descending else "") + o.name for o in orders)
        values = self._condition_values(spec, request)
        condition_names = tuple(values)
        after: list[Any] | None = None
        if request.cursor:
            after = decode_cursor(request.cursor, signature, [o.key.python_type for o in orders])
            values.update({f"k_{i}": value for i, value in enumerate(after) if value is not None})
        values["limit"] = request.limit + 1

        def build() -> Select[Any]:
            statement = self._select(spec, request, self._conditions(spec, request), orders)
            if after is not None:
                statement = statement.where(_after(orders, after))
            return statement.limit(bindparam("limit", type_=Integer))

        rows = self._fetch(("page", spec.shape_name, signature, tuple(values)), values, build, dates)
        has_more = len(rows) > request.limit
        rows = rows[: request.limit]
        next_cursor = None
        if has_more:
            last = rows[-1]
            next_cursor = encode_cursor(signature, [last[f"_sort_{i}"] for i in range(len(orders))])
        items = [nest(row) for row in rows]
        self._embed(spec.shape_name, spec.embeds, request.include, items, dates)
        conditions = {name: values[name] for name in condition_names}
        return Page(
            items=items,
            next_cursor=next_cursor,
            total=self._count(spec, request, conditions, dates) if request.count else None,
            facets=self._facets(spec, request, conditions, dates) if request.facets else None,
        )

    def stream(self, spec: ResourceSpec, request: ListRequest) -> Iterator[dict[str, Any]]:
        """Every matching record, flat (for CSV and NDJSON), fetched in batches."""
        spec, dates = reading(spec, request.as_of, request.known_at)
        orders = _parse_sort(spec, request.sort)
        # SQLAlchemy takes from the values the parameters the statement has: the dates it uses.
        values = {**self._condition_values(spec, request), **dates}
        statement = self._select(spec, request, self._conditions(spec, request), orders)
        result = self.connection.execution_options(yield_per=STREAM_BATCH).execute(statement, values)
        for row in result.mappings():
            yield {key: value for key, value in row.items() if not key.startswith("_")}

    # -- single records ----------------------------------------------------------------

    def one(
        self, spec: ResourceSpec, key: str, as_of: date | None = None, known_at: date | None = None
    ) -> dict[str, Any]:
        spec, dates = reading(spec, as_of, known_at)
        # In the history, a record first reported after `known_at` was not yet known.
        first_reported = spec.first_reported if "known_at" in dates else None
        by_id = key.isdigit()
        if not by_id and spec.slug_column is None:
            raise NotFound(spec.singular, key)
        if by_id and int(key) >= _id_limit(spec):  # no such id, and the database would refuse to compare
            raise NotFound(spec.singular, key)
        values: dict[str, Any] = {"key": int(key) if by_id else key}

        def build() -> Select[Any]:
            column = spec.id_column if by_id else spec.slug_column
            as_of = bindparam("as_of", type_=Date)
            computed = [make(as_of).label(name) for name, make in spec.computed.items()]
            columns = [*spec.columns, *spec.detail_columns, *computed]
            if first_reported is not None:
                columns.append(first_reported.label("_first_reported"))
            key_column: Any = column  # the id or the slug column (checked above)
            return select(*columns).select_from(spec.from_).where(key_column == bindparam("key"))

        rows = self._fetch(("one", spec.shape_name, by_id), values, build, dates)
        if not rows:
            raise NotFound(spec.singular, key)
        row = rows[0]
        if first_reported is not None:
            reported_on = row.pop("_first_reported")
            if reported_on > dates["known_at"]:
                raise NotYetReported(spec.singular, key, reported_on, dates["known_at"])
        item = nest(row)
        self._embed(spec.shape_name, spec.embeds, list(spec.embeds), [item], dates)
        return item

    def search(self, q: str, resources: Sequence[str], limit: int, window: int) -> tuple[list[dict[str, Any]], int]:
        """Ranked full-text hits of `resources` (every resource if empty), best first, with
        highlighted snippets; and how many matches were ranked (at most `window`, see
        fulltext.FullText.ranked_hits)."""
        values: dict[str, Any] = {**self.fulltext.hit_values(fulltext.parse(q)), "limit": limit, "window": window}
        values.update({f"r_{i}": resource for i, resource in enumerate(resources)})

        def build() -> Select[Any]:
            names: list[Any] = [bindparam(f"r_{i}") for i in range(len(resources))]
            return self.fulltext.ranked_hits(
                bindparam("q"), names, bindparam("limit", type_=Integer), bindparam("window", type_=Integer)
            )

        rows = self._fetch(("search", len(resources)), values, build)
        return rows, rows[0]["considered"] if rows else 0

    def data_revision(self) -> str | None:
        """The revision of the loaded data (None before the first load), for ETags."""
        rows = self._fetch(("revision",), {}, lambda: select(DataRevision.revision))
        return rows[0]["revision"] if rows else None

    # -- parts -------------------------------------------------------------------------

    def conditions(self, spec: ResourceSpec, request: ListRequest) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
        """The WHERE conditions of `request` on `spec` itself (its history is not chosen here) and
        the values of their bind parameters, with the dates (SQLAlchemy takes those it needs)."""
        _, dates = reading(spec, request.as_of, request.known_at)
        return self._conditions(spec, request), {**self._condition_values(spec, request), **dates}

    def _conditions(self, spec: ResourceSpec, request: ListRequest) -> list[ColumnElement[bool]]:
        """Conditions with named placeholders, in the order _condition_values names them."""
        conditions = [] if spec.where is None else [spec.where]
        conditions += [spec.filters[name](_placeholders(f"f_{name}", value)) for name, value in request.filters.items()]
        if request.computed_filters:
            as_of = bindparam("as_of", type_=Date)
            conditions += [
                spec.computed_filters[name](as_of, _placeholders(f"c_{name}", value))
                for name, value in request.computed_filters.items()
            ]
        if request.q is not None:
            through = spec.search_through
            matching = self.fulltext.matching_record_ids(through.resource if through else spec.name, bindparam("q"))
            if through is not None:
                matching = select(through.own_id).where(through.record_id.in_(matching))
            conditions.append(spec.id_column.in_(matching))
        return conditions

    def _condition_values(self, spec: ResourceSpec, request: ListRequest) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, value in request.filters.items():
            _flatten(values, f"f_{name}", value)
        for name, value in request.computed_filters.items():
            _flatten(values, f"c_{name}", value)
        if request.q is not None:
            values["q"] = self.fulltext.render(fulltext.parse(request.q))
        return values

    def _fetch(
        self,
        shape: Hashable,
        values: dict[str, Any],
        build: Callable[[], ClauseElement],
        dates: Mapping[str, date] | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of the statement of `shape`, run with `values` and those of the `dates` it takes
        (a statement as of a date takes `as_of`; one from the history `known_at` too)."""
        optional = frozenset(dates) if dates else frozenset()
        if dates and "known_at" in dates:
            build = _planned_each_time(build)
        prepared = STATEMENTS.get(shape, self.dialect, frozenset(values), build, optional)
        if prepared.optional:
            assert dates is not None
            values = {**values, **{name: dates[name] for name in prepared.optional}}
        return self.run(self.connection, prepared, values)

    def _select(
        self,
        spec: ResourceSpec,
        request: ListRequest,
        conditions: list[ColumnElement[bool]],
        orders: list[_Order],
    ) -> Select[Any]:
        as_of = bindparam("as_of", type_=Date)
        computed = [build(as_of).label(name) for name, build in spec.computed.items()]
        sort_columns = [o.key.column.label(f"_sort_{i}") for i, o in enumerate(orders)]
        statement = select(*spec.columns, *computed, *sort_columns).select_from(spec.from_)
        if conditions:
            statement = statement.where(and_(*conditions))
        return statement.order_by(*(_order_by(o) for o in orders))

    def _embed(
        self,
        owner: str,
        embeds: Mapping[str, Embed],
        names: Sequence[str],
        items: list[dict[str, Any]],
        dates: Mapping[str, date],
    ) -> None:
        """Adds to each of `items` its related records of each embed in `names` (one query per
        embed for all the items), and theirs in turn."""
        if not items:
            return
        ids = [item["id"] for item in items]
        values = {f"id_{i}": item_id for i, item_id in enumerate(ids)}
        for name in names:
            embed = embeds[name]
            related: dict[int, list[dict[str, Any]]] = {item_id: [] for item_id in ids}

            def build(embed: Embed = embed) -> Select[Any]:
                return embed.select_for([bindparam(f"id_{i}") for i in range(len(ids))])

            records = []
            for row in self._fetch(("embed", owner, name, len(ids)), values, build, dates):
                record = nest(row)
                related[record.pop("_parent")].append(record)
                records.append(record)
            if embed.embeds:
                self._embed(f"{owner}.{name}", embed.embeds, list(embed.embeds), records, dates)
            for item in items:
                item[name] = related[item["id"]]

    def _count(
        self, spec: ResourceSpec, request: ListRequest, values: dict[str, Any], dates: Mapping[str, date]
    ) -> int:
        def build() -> Select[Any]:
            statement = select(func.count().label("count")).select_from(spec.counting_from)
            conditions = self._conditions(spec, request)
            return statement.where(and_(*conditions)) if conditions else statement

        return int(self._fetch(("count", spec.shape_name, tuple(values)), values, build, dates)[0]["count"])

    def _facets(
        self, spec: ResourceSpec, request: ListRequest, values: dict[str, Any], dates: Mapping[str, date]
    ) -> dict[str, list[dict[str, Any]]]:
        facets: dict[str, list[dict[str, Any]]] = {}
        for name in request.facets:
            facet = spec.facets[name]

            def build(facet: Facet = facet) -> Select[Any]:
                count = func.count().label("count")
                value = facet.value.label("value")
                base = spec.counting_from
                statement: Any = select(value, count).select_from(
                    base if facet.from_ is None else base.join(facet.from_)
                )
                conditions = self._conditions(spec, request)
                if conditions:
                    statement = statement.where(and_(*conditions))
                return statement.group_by(facet.value).order_by(count.desc(), facet.value)

            facets[name] = self._fetch(("facet", spec.shape_name, name, tuple(values)), values, build, dates)
        return facets


def _placeholders(prefix: str, value: Any) -> Any:
    """Bind parameters standing for a filter value: one per item of a list."""
    if isinstance(value, list | tuple):
        return [bindparam(f"{prefix}_{i}") for i in range(len(value))]
    return bindparam(prefix)


def _flatten(values: dict[str, Any], prefix: str, value: Any) -> None:
    if isinstance(value, list | tuple):
        values.update({f"{prefix}_{i}": item for i, item in enumerate(value)})
    else:
        values[prefix] = value


def _slug_condition(spec: ResourceSpec, key: str) -> ColumnElement[bool]:
    if spec.slug_column is None:
        raise NotFound(spec.singular, key)
    return spec.slug_column == key


def _parse_sort(spec: ResourceSpec, sort: str | None) -> list[_Order]:
    orders: list[_Order] = []
    for part in (sort or spec.default_sort).split(","):
        name = part.removeprefix("-")
        if name not in spec.sort_keys:
            allowed = ", ".join(sorted(spec.sort_keys))
            raise InvalidSort(f"Cannot sort {spec.name} by {name!r}; use one of: {allowed}.", parameter="sort")
        if any(o.name == name for o in orders):
            raise InvalidSort(f"{name!r} appears twice in sort.", parameter="sort")
        orders.append(_Order(name, spec.sort_keys[name], part.startswith("-")))
    if not any(o.name == "id" for o in orders):  # the tie-break that makes keysets total
        orders.append(_Order("id", spec.sort_keys["id"], descending=False))
    return orders


def _order_by(order: _Order) -> ColumnElement[Any]:
    column = order.key.column
    ordered = column.desc() if order.descending else column.asc()
    # NULLs last in both directions, on both engines, to match _after().
    return ordered.nulls_last() if order.key.nullable else ordered


def _after(orders: list[_Order], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are `values`, in `orders` order."""
    alternatives: list[ColumnElement[bool]] = []
    equal_so_far: list[ColumnElement[bool]] = []
    for i, (order, value) in enumerate(zip(orders, values, strict=True)):
        column = order.key.column
        if value is None:
            beyond: ColumnElement[bool] = false()  # NULLs sort last: nothing beyond a NULL
            same: ColumnElement[bool] = column.is_(None)
        else:
            value = bindparam(f"k_{i}")  # the cursor's values are bound, not part of the shape
            beyond = column < value if order.descending else column > value
            if order.key.nullable:
                beyond = or_(beyond, column.is_(None))
            same = column == value
        alternatives.append(and_(*equal_so_far, beyond))
        equal_so_far.append(same)
    return or_(*alternatives)


@lru_cache(maxsize=1024)
def _path(label: str) -> tuple[str, ...]:
    return tuple(label.split("__"))


# Per top-level key, in order: (key, label) for a column, or (key, None, ((field, label), ...)).
_Plan = tuple[tuple[str, str | None, tuple[tuple[str, str], ...]], ...]


@lru_cache(maxsize=512)
def _nesting(labels: tuple[str, ...]) -> _Plan | None:
    """How to nest rows with these labels, worked out once; None if deeper than one level."""
    groups: dict[str, list[tuple[str, str]] | None] = {}
    plain: dict[str, str] = {}
    for label in labels:
        if label.startswith("_sort_"):
            continue
        path = _path(label)
        if len(path) > 2 or (len(path) == 2 and path[0] in plain) or (len(path) == 1 and path[0] in groups):
            return None
        if len(path) == 1:
            plain[label] = label
            groups.setdefault(label, None)
        else:
            members = groups.setdefault(path[0], [])
            assert members is not None
            members.append((path[1], label))
    return tuple((key, key, ()) if members is None else (key, None, tuple(members)) for key, members in groups.items())


def nest(row: Mapping[str, Any]) -> dict[str, Any]:
    """{"area__slug": "x"} -> {"area": {"slug": "x"}}; `_sort_*` helper columns dropped.

    A nested reference whose id is NULL (an absent optional relation) becomes None.
    """
    plan = _nesting(tuple(row))
    if plan is None:
        return _nest_any_depth(row)
    record: dict[str, Any] = {}
    for key, label, members in plan:
        if label is not None:
            record[key] = row[label]
        else:
            group = {field: row[member] for field, member in members}
            record[key] = None if group.get("id", 0) is None else group
    return record


def _nest_any_depth(row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for label, value in row.items():
        if label.startswith("_sort_"):
            continue
        path = _path(label)
        target = record
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    for key, value in record.items():
        if isinstance(value, dict) and "id" in value and value["id"] is None:
            record[key] = None
    return record


def _planned_each_time(build: Callable[[], ClauseElement]) -> Callable[[], ClauseElement]:
    """A statement read from the history (the as-of subqueries per row), planned for its values
    on every run: PostgreSQL's generic plan of one, kept once psycopg prepares it, cannot see the
    page's LIMIT and the dates, and at 1M ran /initiatives?as_of=...&due_state=... in 41 ms
    against 7 ms planned for its values (docs/PERFORMANCE.md)."""

    def built() -> ClauseElement:
        statement = build()
        if isinstance(statement, Executable):
            return statement.execution_options(**{PLAN_EACH_TIME: True})
        return statement

    return built


def flat_name(label: str) -> str:
    """The CSV column name of an output label."""
    return label.replace("__", "_")


def _id_limit(spec: ResourceSpec) -> int:
    """One past the largest id the column holds (INTEGER is 32-bit on PostgreSQL)."""
    return 2**63 if isinstance(spec.id_column.type, BigInteger) else 2**31
