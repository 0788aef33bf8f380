"""The one engine that turns a ResourceSpec and a typed request into SQL: filters,
full-text match, keyset pagination over any whitelisted sort, embeds, facets, counts."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, Select, and_, false, func, or_, select

from app.query import fulltext
from app.query.cursor import decode_cursor, encode_cursor
from app.query.errors import InvalidSort, NotFound
from app.query.spec import ResourceSpec, SortKey

STREAM_BATCH = 1000


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
    as_of: date | None = None


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
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.fulltext = fulltext.FullText(connection.dialect.name)

    # -- collections -------------------------------------------------------------------

    def page(self, spec: ResourceSpec, request: ListRequest) -> Page:
        orders = _parse_sort(spec, request.sort)
        signature = ",".join(("-" if o.descending else "") + o.name for o in orders)
        conditions = self.conditions(spec, request)
        statement = self._select(spec, request, conditions, orders)
        if request.cursor:
            types = [o.key.python_type for o in orders]
            values = decode_cursor(request.cursor, signature, types)
            statement = statement.where(_after(orders, values))
        rows = self.connection.execute(statement.limit(request.limit + 1)).mappings().all()
        has_more = len(rows) > request.limit
        rows = rows[: request.limit]
        next_cursor = None
        if has_more:
            last = rows[-1]
            next_cursor = encode_cursor(signature, [last[f"_sort_{i}"] for i in range(len(orders))])
        items = [nest(row) for row in rows]
        self._embed(spec, request.include, items)
        return Page(
            items=items,
            next_cursor=next_cursor,
            total=self._count(spec, conditions) if request.count else None,
            facets=self._facets(spec, request.facets, conditions) if request.facets else None,
        )

    def stream(self, spec: ResourceSpec, request: ListRequest) -> Iterator[dict[str, Any]]:
        """Every matching record, flat (for CSV and NDJSON), fetched in batches."""
        orders = _parse_sort(spec, request.sort)
        statement = self._select(spec, request, self.conditions(spec, request), orders)
        result = self.connection.execution_options(yield_per=STREAM_BATCH).execute(statement)
        for row in result.mappings():
            yield {key: value for key, value in row.items() if not key.startswith("_")}

    # -- single records ----------------------------------------------------------------

    def one(self, spec: ResourceSpec, key: str, as_of: date | None = None) -> dict[str, Any]:
        if key.isdigit() and int(key) >= _id_limit(spec):  # no such id, and the database would refuse to compare
            raise NotFound(spec.singular, key)
        condition = spec.id_column == int(key) if key.isdigit() else _slug_condition(spec, key)
        computed = [build(as_of or date.today()).label(name) for name, build in spec.computed.items()]
        columns = [*spec.columns, *spec.detail_columns, *computed]
        statement = select(*columns).select_from(spec.from_).where(condition)
        row = self.connection.execute(statement).mappings().first()
        if row is None:
            raise NotFound(spec.singular, key)
        item = nest(row)
        self._embed(spec, list(spec.embeds), [item])
        return item

    # -- parts -------------------------------------------------------------------------

    def conditions(self, spec: ResourceSpec, request: ListRequest) -> list[ColumnElement[bool]]:
        conditions = [spec.filters[name](value) for name, value in request.filters.items()]
        as_of = request.as_of or date.today()
        conditions += [spec.computed_filters[name](as_of, value) for name, value in request.computed_filters.items()]
        if request.q is not None:
            query = fulltext.parse(request.q)
            conditions.append(spec.id_column.in_(self.fulltext.matching_record_ids(spec.name, query)))
        return conditions

    def _select(
        self,
        spec: ResourceSpec,
        request: ListRequest,
        conditions: list[ColumnElement[bool]],
        orders: list[_Order],
    ) -> Select[Any]:
        as_of = request.as_of or date.today()
        computed = [build(as_of).label(name) for name, build in spec.computed.items()]
        sort_columns = [o.key.column.label(f"_sort_{i}") for i, o in enumerate(orders)]
        statement = select(*spec.columns, *computed, *sort_columns).select_from(spec.from_)
        if conditions:
            statement = statement.where(and_(*conditions))
        return statement.order_by(*(_order_by(o) for o in orders))

    def _embed(self, spec: ResourceSpec, names: Sequence[str], items: list[dict[str, Any]]) -> None:
        if not items:
            return
        ids = [item["id"] for item in items]
        for name in names:
            embed = spec.embeds[name]
            related: dict[int, list[dict[str, Any]]] = {item_id: [] for item_id in ids}
            for row in self.connection.execute(embed.select_for(ids)).mappings():
                record = nest(row)
                related[record.pop("_parent")].append(record)
            for item in items:
                item[name] = related[item["id"]]

    def _count(self, spec: ResourceSpec, conditions: list[ColumnElement[bool]]) -> int:
        statement = select(func.count()).select_from(spec.from_)
        if conditions:
            statement = statement.where(and_(*conditions))
        return int(self.connection.execute(statement).scalar_one())

    def _facets(
        self, spec: ResourceSpec, names: Sequence[str], conditions: list[ColumnElement[bool]]
    ) -> dict[str, list[dict[str, Any]]]:
        facets: dict[str, list[dict[str, Any]]] = {}
        for name in names:
            facet = spec.facets[name]
            count = func.count().label("count")
            value = facet.value.label("value")
            statement = select(value, count).select_from(
                spec.from_ if facet.from_ is None else spec.from_.join(facet.from_)
            )
            if conditions:
                statement = statement.where(and_(*conditions))
            statement = statement.group_by(facet.value).order_by(count.desc(), facet.value)
            facets[name] = [dict(row) for row in self.connection.execute(statement).mappings()]
        return facets


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
    for order, value in zip(orders, values, strict=True):
        column = order.key.column
        if value is None:
            beyond: ColumnElement[bool] = false()  # NULLs sort last: nothing beyond a NULL
            same = column.is_(None)
        else:
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


def nest(row: Mapping[Any, Any]) -> dict[str, Any]:
    """{"area__slug": "x"} -> {"area": {"slug": "x"}}; `_sort_*` helper columns dropped.

    A nested reference whose id is NULL (an absent optional relation) becomes None.
    """
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


def flat_name(label: str) -> str:
    """The CSV column name of an output label."""
    return label.replace("__", "_")


def _id_limit(spec: ResourceSpec) -> int:
    """One past the largest id the column holds (INTEGER is 32-bit on PostgreSQL)."""
    return 2**63 if isinstance(spec.id_column.type, BigInteger) else 2**31
