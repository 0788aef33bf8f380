"""The fast path proves itself: every statement the query engine builds, for every resource,
filter, sort key, cursor, include, facet, count, detail and search, returns the same rows from
app/query/prepared.py's `fetch` (straight on the DBAPI cursor) as from SQLAlchemy's ordinary
execution of the same statement, on both engines; and the API's requests really take it."""

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from enum import Enum
from typing import Any, get_args, get_origin

import pytest
from anyio.from_thread import BlockingPortal
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine, select

from app.api.params import list_request
from app.main import create_app
from app.query import prepared
from app.query.engine import ListRequest, QueryEngine
from app.query.filters import SlugFilter
from app.query.resources import RESOURCES
from app.query.spec import ResourceSpec
from app.settings import Settings
from tests.conftest import Api

AS_OF = date(2025, 1, 1)  # due_state as of a fixed day, whatever day the suite runs
# How a resource is read: today's state (stored, due_state and outcomes as of today), or from its
# history as of a date by what was known at a date (other statements: app/query/dated.py).
READINGS: dict[str, dict[str, date]] = {"today": {}, "history": {"as_of": AS_OF, "known_at": AS_OF}}
PAGE = 4  # small pages: every walk crosses several cursors, NULL sort values included


def _typed(rows: list[dict[str, Any]]) -> list[list[tuple[str, str, Any]]]:
    """Rows as (label, type, value) in column order: 1 == 1.0 == Decimal(1) must not pass."""
    return [[(key, type(value).__name__, value) for key, value in row.items()] for row in rows]


def _difference(fast: list[dict[str, Any]], ordinary: list[dict[str, Any]]) -> str:
    if len(fast) != len(ordinary):
        return f"fetch returned {len(fast)} rows, ordinary execution {len(ordinary)}"
    for i, (one, other) in enumerate(zip(_typed(fast), _typed(ordinary), strict=True)):
        if one != other:
            cells = [(a, b) for a, b in zip(one, other, strict=False) if a != b] or [(one, other)]
            return f"row {i}, (label, type, value) from fetch and from ordinary execution: {cells}"
    return "no difference"


class BothWays:
    """Runs each statement with `fetch` and with `fetch_ordinary` and fails unless both return
    the same rows; checks that `fetch` really took its shortcut."""

    def __init__(self) -> None:
        self.statements: set[str] = set()
        self.runs = 0
        self.rows = 0

    def __call__(self, connection: Connection, statement: prepared.Prepared, values: Mapping[str, Any]) -> Any:
        before = prepared.fast_path_runs
        fast = prepared.fetch(connection, statement, values)
        assert prepared.fast_path_runs == before + 1, "fetch fell back to ordinary execution"
        ordinary = prepared.fetch_ordinary(connection, statement, values)
        if _typed(fast) != _typed(ordinary):
            pytest.fail(f"{_difference(fast, ordinary)}\n{statement.sql}\n{dict(values)}")
        self.statements.add(statement.sql)
        self.runs += 1
        self.rows += len(fast)
        return fast


@pytest.fixture
def both_ways(seeded_engine: Engine) -> Iterator[tuple[QueryEngine, BothWays]]:
    run = BothWays()
    with seeded_engine.connect() as connection:
        yield QueryEngine(connection, run=run), run


def _query_models() -> dict[str, type[BaseModel]]:
    """Each collection's query model as its list route declares it: the API's own validation
    turns the values below into what the query engine receives in production."""
    app = create_app(Settings(database_url="sqlite://"))
    routers = [route.original_router for route in app.routes if hasattr(route, "original_router")]
    return {
        route.operation_id.removeprefix("list_"): route.dependant.query_params[0].field_info.annotation
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.operation_id and route.operation_id.startswith("list_")
    }


QUERY_MODELS = _query_models()


def _leaves(record: Mapping[str, Any]) -> Iterator[Any]:
    for value in record.values():
        if isinstance(value, Mapping):
            yield from _leaves(value)
        elif isinstance(value, list):
            for item in value:
                yield from _leaves(item) if isinstance(item, Mapping) else iter([item])
        elif value is not None:
            yield value


def _candidates(
    engine: QueryEngine, spec: ResourceSpec, name: str, model: type[BaseModel], reading: Mapping[str, date]
) -> list[Any]:
    """Values to try for filter `name`, from the data: the slugs of the resource it is named after,
    its vocabulary, or any value the resource's own records hold; as a query string would give them."""
    annotation = model.model_fields[name].annotation
    item = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if isinstance(item, type) and issubclass(item, Enum):
        return [member.value for member in item]
    declared = spec.filters.get(name)
    if isinstance(declared, SlugFilter):  # the slugs of the records it names (an unknown one is a 422)
        return list(engine.connection.execute(select(declared.model.slug).order_by(declared.model.slug)).scalars())
    own = {value for row in engine.stream(spec, ListRequest(**reading)) for value in _leaves(row)}
    return sorted((value.isoformat() if isinstance(value, date) else str(value) for value in own), key=str)


def _request(
    spec: ResourceSpec, model: type[BaseModel], filters: Mapping[str, Any], reading: Mapping[str, date]
) -> ListRequest | None:
    """The ListRequest the API would make of these query values, or None if it would refuse them."""
    fields = model.model_fields
    listed = {k for k in filters if get_origin(fields[k].annotation) is list}
    raw = {k: [v] if k in listed and not isinstance(v, list) else v for k, v in filters.items()}
    try:
        params = model.model_validate(raw)
    except ValidationError:
        return None
    return replace(list_request(spec, params), **reading)


def _total(engine: QueryEngine, spec: ResourceSpec, request: ListRequest) -> int:
    page = engine.page(spec, replace(request, count=True, limit=1))
    assert page.total is not None
    return page.total


# Filters no record of the seed can match: still compared, on an empty result.
MATCHING_NOTHING_IN_THE_SEED = {("milestones", "agreement")}  # no milestone belongs to an agreement


def _matching_values(engine: QueryEngine, spec: ResourceSpec, name: str, reading: Mapping[str, date]) -> list[Any]:
    """Two values of filter `name` taken from the data, the first matching some rows (not all if
    the data allows): the filter must be seen to work, not just to compile."""
    model = QUERY_MODELS[spec.name]
    everything = _total(engine, spec, ListRequest(**reading))
    matching: list[tuple[Any, int]] = []
    for value in _candidates(engine, spec, name, model, reading):
        request = _request(spec, model, {name: value}, reading)
        if request is None:
            continue
        total = _total(engine, spec, request)
        if total:
            matching.append((value, total))
            if total < everything:
                break
    if (spec.name, name) in MATCHING_NOTHING_IN_THE_SEED:
        assert not matching, f"{spec.name}?{name}= now matches; take it off MATCHING_NOTHING_IN_THE_SEED"
        candidates = _candidates(engine, spec, name, model, reading)
        first = next(v for v in candidates if _request(spec, model, {name: v}, reading))
        return [first]
    assert matching, f"no value from the data matches {spec.name}?{name}=..."
    best = next((value for value, total in matching if total < everything), matching[0][0])
    others = [value for value, _ in matching if value != best]
    return [best, *others[:1]]


def _walk(engine: QueryEngine, spec: ResourceSpec, request: ListRequest) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = engine.page(spec, replace(request, cursor=cursor))
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            return items


def _filter_requests(
    engine: QueryEngine, spec: ResourceSpec, reading: Mapping[str, date]
) -> Iterator[tuple[str, ListRequest, bool]]:
    """Each filter alone, with one value and with two, and whether it must match; then all together."""
    model = QUERY_MODELS[spec.name]
    chosen: dict[str, Any] = {}
    for name in [*spec.filters, *spec.computed_filters]:
        values = _matching_values(engine, spec, name, reading)
        chosen[name] = values[0]
        matches = (spec.name, name) not in MATCHING_NOTHING_IN_THE_SEED
        alone = _request(spec, model, {name: values[0]}, reading)
        assert alone is not None
        yield name, alone, matches
        both = _request(spec, model, {name: values}, reading)
        if len(values) > 1 and both is not None:  # a one-value filter refuses two
            yield f"{name} (two values)", both, matches
    if chosen:
        together = _request(spec, model, chosen, reading)
        assert together is not None
        yield "every filter", together, False


@pytest.mark.parametrize(
    ("name", "reading"),
    [(name, reading) for name, spec in RESOURCES.items() for reading in READINGS if spec.history or reading == "today"],
)
def test_every_filter_sort_and_include_returns_the_same_rows_both_ways(
    both_ways: tuple[QueryEngine, BothWays], name: str, reading: str
) -> None:
    engine, run = both_ways
    spec = RESOURCES[name]
    dates = READINGS[reading]
    everything = ListRequest(limit=PAGE, include=tuple(spec.embeds), **dates)
    for key in spec.sort_keys:
        for sort in (key, f"-{key}"):
            walked = _walk(engine, spec, replace(everything, sort=sort))
            assert len(walked) == _total(engine, spec, everything)
    with_everything = {"count": True, "facets": tuple(spec.facets), "include": tuple(spec.embeds)}
    for label, request, must_match in _filter_requests(engine, spec, dates):
        page = engine.page(spec, replace(request, limit=PAGE, **with_everything))
        assert page.total or not must_match, label
        for embed in spec.embeds:  # each embed alone too: its own statement shape
            engine.page(spec, replace(request, limit=500, include=(embed,)))
    title = next(iter(engine.stream(spec, ListRequest(**dates))))
    words = [w for w in str(title.get("title") or title.get("name") or title["slug"]).split() if w.isalpha()]
    for word in words[:2]:  # full-text match as a filter, alone and with a sort
        engine.page(spec, ListRequest(q=word, sort=f"-{next(iter(spec.sort_keys))}", count=True, **dates))
    for item in _walk(engine, spec, ListRequest(limit=500, **dates))[:: max(1, PAGE)]:
        assert engine.one(spec, str(item["id"]), **dates) == engine.one(spec, item["slug"], **dates)
    assert run.rows > 0 and len(run.statements) >= len(spec.sort_keys)


SEARCHES = ["hydrogen", "ambulances", '"cross-boundary"', "tal*", "water OR port", "zeppelin"]


def test_search_and_the_data_revision_return_the_same_rows_both_ways(both_ways: tuple[QueryEngine, BothWays]) -> None:
    engine, run = both_ways
    for q in SEARCHES:
        for resources in ([], ["initiatives"], ["metrics", "milestones"]):
            engine.search(q, resources, 20, 5_000)
            engine.search(q, resources, 3, 2)  # a window smaller than the matches
    assert engine.data_revision()
    assert run.rows > 0


# Requests and how many statements each runs through the query engine: the data revision (for
# the ETag), then the page, the count, each facet and each embed, the record, or the hits and
# the facts of each type among them that has facts (hydrogen: initiatives; tal*: four types).
FAST_PATH_REQUESTS = [
    ("/search?q=hydrogen", 3),
    ("/search?q=ambulances&type=initiatives", 3),
    ("/search?q=tal*", 6),
    ("/initiatives?area=healthcare", 2),
    ("/initiatives?include=metrics,organisations&count=exact&facets=area,status", 7),
    ("/initiatives/san-tin-technopole-first-phase", 7),
    ("/agreements?meeting=24th-plenary&sort=-signed", 2),
    ("/initiatives?as_of=2025-01-01&status=planned&facets=status", 3),
    ("/initiatives/san-tin-technopole-first-phase?known_at=2025-01-01", 7),
    ("/milestones?kind=target&outcome=missed&as_of=2025-06-30", 2),
]


def test_api_requests_run_their_statements_on_the_fast_path(api: Api) -> None:
    """The regression this file exists for: a leftover listener (or a listener added to
    make_engine) sends every statement down the ordinary path, and every other test still passes."""
    stock = api.app.state.settings.stock_paths
    for url, statements in FAST_PATH_REQUESTS:
        before = prepared.fast_path_runs
        assert api.get(url).status_code == 200, url
        assert prepared.fast_path_runs - before == (0 if stock else statements), url


def _urls() -> Iterator[str]:
    for name, spec in RESOURCES.items():
        controls = [f"include={','.join(spec.embeds)}"] if spec.embeds else []
        controls += [f"facets={','.join(spec.facets)}"] if spec.facets else []
        yield f"/{name}?limit=3&count=exact&sort=-{list(spec.sort_keys)[-1]}&" + "&".join(controls)
        yield f"/{name}/1"
        yield f"/{name}?format=csv"
    yield from [
        "/initiatives?area=healthcare&due_state=overdue&as_of=2025-01-01&format=ndjson",
        "/initiatives?status=planned&as_of=2025-06-30&known_at=2025-06-30&facets=status&sort=-due",
        "/initiatives/1?known_at=2024-01-01",
        "/milestones?kind=target&outcome=missed&as_of=2025-06-30&format=csv",
        "/metrics?known_at=2025-06-30&as_of=2024-12-31",
        "/initiatives?q=hydrogen",
        "/search?q=hydrogen",
        "/search?q=ambulances&type=initiatives&type=metrics",
        "/metrics/summary?group_by=area,unit",
        "/timeline?kind=target&date_from=2024-07-01&date_to=2024-12-31",
        "/documents/24th-plenary-press-release/text",
        "/changes?limit=5",
        "/documents/24th-plenary-press-release/changes?format=csv",
        "/changes.atom",
        "/healthz",
        "/readyz",
        "/initiatives/no-such-initiative",
        "/initiatives?limit=1&limit=2",
        "/initiatives?cursor=forged",
        "/initiatives?bogus=1",
        "/healthz?probe=1",
    ]


def _answer(response: Any) -> tuple[Any, ...]:
    body: Any = response.text
    if response.headers["content-type"].startswith("application/problem+json"):
        body = {k: v for k, v in response.json().items() if k != "request_id"}
    headers = ("content-type", "etag", "link", "cache-control", "content-disposition")
    return response.status_code, {h: response.headers.get(h) for h in headers}, body


def test_stock_paths_answer_every_request_the_same(portal: BlockingPortal, seeded_engine: Engine) -> None:
    """Settings.stock_paths (FastAPI's own routing, SQLAlchemy's own execution) changes nothing a
    client can see, and really runs no statement on the fast path."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    fast = Api(portal, create_app(Settings(database_url=url, stock_paths=False), seeded_engine))
    stock = Api(portal, create_app(Settings(database_url=url, stock_paths=True), seeded_engine))
    fast_runs = 0
    for path in _urls():
        before = prepared.fast_path_runs
        stock_answer = _answer(stock.get(path))
        if stock_answer[1]["etag"]:
            again = stock.get(path, headers={"If-None-Match": stock_answer[1]["etag"]})
            assert again.status_code == 304, path
        assert prepared.fast_path_runs == before, path
        assert _answer(fast.get(path)) == stock_answer, path
        fast_runs += prepared.fast_path_runs - before
    assert fast_runs > 0
