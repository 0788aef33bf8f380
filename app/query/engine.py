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
from app.models.vocab import name_of
from app.query import fulltext
from app.query.cursor import CursorScope, decode_cursor, encode_cursor, filters_digest
from app.query.errors import InvalidParameter, InvalidSort, NotFound, NotYetReported, UnknownValue
from app.query.filters import SlugFilter
from app.query.prepared import PLAN_EACH_TIME, STATEMENTS, Fetch, choose_fetch
from app.query.search_facts import FACTS
from app.query.spec import Embed, Facet, FacetTable, ResourceSpec, SortKey
from app.query.suggestions import closest, did_you_mean

STREAM_BATCH = 1000
# The slugs an unknown one is compared with: all of a table this small, else this many near it.
SLUG_CANDIDATES = 2000
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
    facets_zero: bool = False  # also list each facet's values with no record, count 0
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
class SearchAnswer:
    hits: list[dict[str, Any]]  # search()'s rows, each with its "facts" (None for a type without)
    ranked_matches: int
    matched: str  # "all": every hit matches every term; "any": none did, these match some term


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
        if request.facets_zero and not request.facets:
            raise InvalidParameter(
                "facets_zero=true lists the values of facets: add facets=...", parameter="facets_zero"
            )
        collection = spec.name
        spec, dates = reading(spec, request.as_of, request.known_at)
        orders = _parse_sort(spec, request.sort)
        signature = ",".join(("-" if o.descending else "") + o.name for o in orders)
        values = self._condition_values(spec, request)
        condition_names = tuple(values)
        after: list[Any] | None = None
        if request.cursor:
            after = decode_cursor(request.cursor, _cursor_scope(collection, signature, request), _key_types(orders))
            values.update({f"k_{i}": value for i, value in enumerate(after) if value is not None})
        values["limit"] = request.limit + 1

        def build() -> Select[Any]:
            statement = self._select(spec, request, self._conditions(spec, request), orders)
            if after is not None:
                statement = statement.where(_after(orders, after))
            return statement.limit(bindparam("limit", type_=Integer))

        rows = self._fetch(("page", spec.shape_name, signature, tuple(values)), values, build, dates)
        # A slug naming no record makes an empty answer look like a real one. Checked when it can
        # matter, so the usual page costs nothing more: a first page that is empty, or one filtered
        # by several slugs of which a mistyped one would only narrow it. A later page's filters
        # were checked on the first (its cursor is bound to them).
        if after is None and (not rows or _several_slugs(spec, request)):
            self.check_slugs(spec, request)
        has_more = len(rows) > request.limit
        rows = rows[: request.limit]
        next_cursor = None
        if has_more:
            last = rows[-1]
            scope = _cursor_scope(collection, signature, request)
            next_cursor = encode_cursor(scope, [last[f"_sort_{i}"] for i in range(len(orders))])
        items = [nest(row) for row in rows]
        self._embed(spec.shape_name, spec.embeds, request.include, items, dates)
        conditions = {name: values[name] for name in condition_names}
        return Page(
            items=items,
            next_cursor=next_cursor,
            total=self._count(spec, request, conditions, dates) if request.count else None,
            facets=self._facets(spec, request, conditions, dates) if request.facets else None,
        )

    def stream(self, spec: ResourceSpec, request: ListRequest, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The matching records, flat (for CSV and NDJSON), fetched in batches: all of them, or
        `limit` of them, after the request's cursor if it has one."""
        collection = spec.name
        spec, dates = reading(spec, request.as_of, request.known_at)
        orders = _parse_sort(spec, request.sort)
        # SQLAlchemy takes from the values the parameters the statement has: the dates it uses.
        values = {**self._condition_values(spec, request), **dates}
        statement = self._select(spec, request, self._conditions(spec, request), orders)
        if request.cursor:
            signature = ",".join(("-" if o.descending else "") + o.name for o in orders)
            scope = _cursor_scope(collection, signature, request)
            after = decode_cursor(request.cursor, scope, _key_types(orders))
            values.update({f"k_{i}": value for i, value in enumerate(after) if value is not None})
            statement = statement.where(_after(orders, after))
        if limit is not None:
            statement = statement.limit(limit)
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
            if by_id or spec.slug_column is None:
                raise NotFound(spec.singular, key)
            suggestions = closest(key, self._slug_candidates(spec.slug_column, key))
            raise NotFound(
                spec.singular, key, f"No {spec.singular} with id or slug {key!r}.{did_you_mean(suggestions)}"
            )
        row = rows[0]
        if first_reported is not None:
            reported_on = row.pop("_first_reported")
            if reported_on > dates["known_at"]:
                raise NotYetReported(spec.singular, key, reported_on, dates["known_at"])
        item = nest(row)
        self._embed(spec.shape_name, spec.embeds, list(spec.embeds), [item], dates)
        return item

    def search(
        self, q: str, resources: Sequence[str], limit: int, window: int, *, any_word: bool = False
    ) -> tuple[list[dict[str, Any]], int]:
        """Ranked full-text hits of `resources` (every resource if empty), best first, with
        highlighted snippets; and how many matches were ranked (at most `window`, see
        fulltext.FullText.ranked_hits). `any_word` matches any of the query's terms instead of all."""
        query = fulltext.parse(q)
        if any_word:
            query = fulltext.any_term(query)
        values: dict[str, Any] = {**self.fulltext.hit_values(query), "limit": limit, "window": window}
        values.update({f"r_{i}": resource for i, resource in enumerate(resources)})

        def build() -> Select[Any]:
            names: list[Any] = [bindparam(f"r_{i}") for i in range(len(resources))]
            return self.fulltext.ranked_hits(
                bindparam("q"), names, bindparam("limit", type_=Integer), bindparam("window", type_=Integer)
            )

        rows = self._fetch(("search", len(resources)), values, build)
        return rows, rows[0]["considered"] if rows else 0

    def answer(self, q: str, resources: Sequence[str], limit: int, window: int) -> SearchAnswer:
        """The hits of `search`, each with its facts (app/query/search_facts.py) as of today; when
        no record matches every term of a query of several, the hits matching any of them."""
        hits, considered = self.search(q, resources, limit, window)
        matched = "all"
        if not hits and len(fulltext.parse(q)) > 1:
            hits, considered = self.search(q, resources, limit, window, any_word=True)
            matched = "any"
        facts: dict[tuple[str, int], dict[str, Any]] = {}
        for resource, embed in FACTS.items():
            records = [{"id": hit["record_id"]} for hit in hits if hit["resource"] == resource]
            self._embed(f"search.{resource}", {"facts": embed}, ["facts"], records, {"as_of": date.today()})
            facts.update({(resource, record["id"]): record["facts"][0] for record in records if record["facts"]})
        items = [{**hit, "facts": facts.get((hit["resource"], hit["record_id"]))} for hit in hits]
        return SearchAnswer(items, considered, matched)

    def data_revision(self) -> str | None:
        """The revision of the loaded data (None before the first load), for ETags."""
        rows = self._fetch(("revision",), {}, lambda: select(DataRevision.revision))
        return rows[0]["revision"] if rows else None

    # -- parts -------------------------------------------------------------------------

    def check_slugs(self, spec: ResourceSpec, request: ListRequest) -> None:
        """An UnknownValue for the first slug filter value that names no record, offering the
        closest slugs that do; one indexed lookup per slug filter given."""
        for name, slugs in request.filters.items():
            declared = spec.filters.get(name)
            if not isinstance(declared, SlugFilter):
                continue
            model = declared.model
            values = {f"s_{i}": slug for i, slug in enumerate(slugs)}

            def build(model: Any = model, count: int = len(slugs)) -> Select[Any]:
                return select(model.slug).where(model.slug.in_([bindparam(f"s_{i}") for i in range(count)]))

            found = {row["slug"] for row in self._fetch(("slugs", model.__tablename__, len(slugs)), values, build)}
            missing = [slug for slug in slugs if slug not in found]
            if missing:
                noun = model.__tablename__.replace("_", " ")
                suggestions = closest(missing[0], self._slug_candidates(model.slug, missing[0]))
                raise UnknownValue(
                    f"No {noun} has the slug {missing[0]!r}.{did_you_mean(suggestions)}",
                    parameter=name,
                )

    def _slug_candidates(self, column: Any, slug: str) -> list[str]:
        """Slugs of `column` to compare an unknown one with (bounded: this runs only for a
        refused request): all of a small table; of a large one, the slugs next to it in
        alphabetical order (a missing end: "san-tin-technopole") and those of its first letter
        (a slip inside: "helthcare"), each an index range."""
        every = select(column).order_by(column).limit(SLUG_CANDIDATES + 1)
        slugs = list(self.connection.execute(every).scalars())
        if len(slugs) <= SLUG_CANDIDATES:
            return slugs
        share = SLUG_CANDIDATES // 3
        first = slug[:1]  # a slug starts with a letter or a digit: the range is its first letter's
        ranges = [
            select(column).where(column >= slug).order_by(column).limit(share),
            select(column).where(column < slug).order_by(column.desc()).limit(share),
            select(column).where(column >= first, column < chr(ord(first) + 1)).order_by(column).limit(share),
        ]
        return [found for statement in ranges for found in self.connection.execute(statement).scalars()]

    def conditions(self, spec: ResourceSpec, request: ListRequest) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
        """The WHERE conditions of `request` on `spec` itself (its history is not chosen here) and
        the values of their bind parameters, with the dates (SQLAlchemy takes those it needs).
        A slug naming no record is refused (an aggregate cannot tell "none" from "mistyped")."""
        self.check_slugs(spec, request)
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
        """Per facet, [{value, name, count}] by count (then value); with `facets_zero`, then every
        other possible value with count 0, by value."""
        facets: dict[str, list[dict[str, Any]]] = {}
        table = _facet_table(spec, request, dates)
        from_table = [] if table is None else [name for name in request.facets if name in table.facets]
        if table is not None and from_table:
            facets.update(self._facets_from_table(spec, table, from_table, request, values, dates))
        for name in request.facets:
            if name in from_table:
                continue
            facet = spec.facets[name]

            def build(facet: Facet = facet) -> Select[Any]:
                count = func.count().label("count")
                value = facet.value.label("value")
                named = [] if facet.name is None else [facet.name.label("name")]
                base = spec.counting_from
                statement: Any = select(value, *named, count).select_from(
                    base if facet.from_ is None else base.join(facet.from_)
                )
                conditions = self._conditions(spec, request)
                if conditions:
                    statement = statement.where(and_(*conditions))
                grouped = [facet.value] if facet.name is None else [facet.value, facet.name]
                return statement.group_by(*grouped).order_by(count.desc(), facet.value)

            counts = self._fetch(("facet", spec.shape_name, name, tuple(values)), values, build, dates)
            named_counts = [_named(facet, row) for row in counts]
            if request.facets_zero:
                named_counts += self._zero_counts(spec.shape_name, name, facet, {row["value"] for row in counts})
            facets[name] = named_counts
        return facets

    def _facets_from_table(
        self,
        spec: ResourceSpec,
        table: FacetTable,
        names: Sequence[str],
        request: ListRequest,
        values: dict[str, Any],
        dates: Mapping[str, date],
    ) -> dict[str, list[dict[str, Any]]]:
        """The facets `names`, counted from the derived table's rows in force on `as_of`
        (FacetTable): one scan grouped by every facet's value at once, each facet then summed
        from those groups (a few hundred at most: the facets are vocabularies and areas)."""
        chosen = [table.facets[name] for name in names]

        def build() -> Select[Any]:
            base = table.from_
            columns = []
            for i, facet in enumerate(chosen):
                if facet.from_ is not None:
                    base = base.join(facet.from_)
                columns.append(facet.value.label(f"value_{i}"))
                if facet.name is not None:
                    columns.append(facet.name.label(f"name_{i}"))
            conditions = [table.in_force] + [
                table.filters[name](_placeholders(f"f_{name}", value)) for name, value in request.filters.items()
            ]
            return (
                select(*columns, func.count().label("count"))
                .select_from(base)
                .where(and_(*conditions))
                .group_by(*columns)
            )

        as_of_only = {"as_of": dates["as_of"]}
        groups = self._fetch(("facet_table", spec.shape_name, tuple(names), tuple(values)), values, build, as_of_only)
        facets: dict[str, list[dict[str, Any]]] = {}
        for i, (name, facet) in enumerate(zip(names, chosen, strict=True)):
            counts: dict[tuple[Any, Any], int] = {}
            for group in groups:
                key = (group[f"value_{i}"], group.get(f"name_{i}"))
                counts[key] = counts.get(key, 0) + group["count"]
            rows = [{"value": value, "name": named, "count": count} for (value, named), count in counts.items()]
            rows.sort(key=lambda row: (-row["count"], row["value"]))
            named_counts = [_named(facet, row) for row in rows]
            if request.facets_zero:
                counted = {row["value"] for row in rows}
                named_counts += self._zero_counts(f"{spec.shape_name}@table", name, facet, counted)
            facets[name] = named_counts
        return facets

    def _zero_counts(self, owner: str, name: str, facet: Facet, counted: set[Any]) -> list[dict[str, Any]]:
        """The possible values of `facet` not in `counted`, by value: a vocabulary's codes, or every
        record of a named value's table."""
        vocabulary = facet.value_vocabulary
        if vocabulary is not None:
            possible = [{"value": member.value, "name": name_of(member.value)} for member in vocabulary]
        elif facet.name is not None:
            named = facet.name
            statement = lambda: select(facet.value.label("value"), named.label("name"))  # noqa: E731
            possible = self._fetch(("facet_values", owner, name), {}, statement)
        else:
            return []
        zero = [{**value, "count": 0} for value in possible if value["value"] not in counted]
        return sorted(zero, key=lambda value: value["value"])


def _facet_table(spec: ResourceSpec, request: ListRequest, dates: Mapping[str, date]) -> FacetTable | None:
    """The spec's derived facet table, if it can answer this request (FacetTable)."""
    table = spec.facet_table
    if table is None or dates.get("known_at") != KNOWN_FOREVER:
        return None
    if request.q is not None or request.computed_filters or not set(request.filters) <= set(table.filters):
        return None
    return table


def _named(facet: Facet, row: Mapping[str, Any]) -> dict[str, Any]:
    """A facet's count with the value's name: its record's, or its vocabulary's words."""
    value = row["value"]
    if facet.name is not None:
        return {"value": value, "name": row["name"], "count": row["count"]}
    named = name_of(value) if isinstance(value, str) and facet.value_vocabulary is not None else value
    return {"value": value, "name": named, "count": row["count"]}


def _cursor_scope(collection: str, sort: str, request: ListRequest) -> CursorScope:
    """A cursor continues one list: of this collection, in this order, of the rows these choose."""
    digest = filters_digest(request.filters, request.computed_filters, request.q, request.as_of, request.known_at)
    return CursorScope(collection, sort, digest)


def _key_types(orders: list[_Order]) -> list[type]:
    return [order.key.python_type for order in orders]


def _several_slugs(spec: ResourceSpec, request: ListRequest) -> bool:
    return any(
        isinstance(spec.filters.get(name), SlugFilter) and len(value) > 1 for name, value in request.filters.items()
    )


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
