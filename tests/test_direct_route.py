"""DirectRoute (app/api/routing.py) reads requests as FastAPI's own handler would: the same
values reach the endpoint and the same 422 problems come back; it adds refusals of repeated
one-value parameters and of parameters a route does not declare, and refuses to build a route
whose dependencies it cannot provide (its own, its router's, its include's or its app's).
It hands requests to FastAPI's own handler while dependency overrides are set, and always under
Settings.stock_paths."""

import functools
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine
from starlette.responses import JSONResponse, Response

from app.api.deps import get_connection
from app.api.problems import install_problem_handlers
from app.api.routing import DirectRoute, build_routes
from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.main import create_app
from app.settings import Settings
from tests.conftest import Api, make_api
from tests.helpers import PROBLEM

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # what the server runs


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    area: list[Annotated[str, Field(pattern=r"^[a-z-]+$")]] = Field(default_factory=list)
    limit: int = Field(50, ge=1, le=500)
    as_of: date | None = None
    q: str | None = Field(None, min_length=1)


async def listing(
    request: Request,
    key: Annotated[str, Path(pattern=r"^[a-z0-9-]+$", max_length=20)],
    params: Annotated[Filters, Query()],
) -> Response:
    return JSONResponse({"key": key, "params": params.model_dump(mode="json"), "path": request.url.path})


def scalars(limit: int = 20, kind: Annotated[list[str], Query()] = []) -> Response:  # noqa: B006
    return JSONResponse({"limit": limit, "kind": kind})


def _app(route_class: type, settings: Settings | None = None) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings
    install_problem_handlers(app)
    router = APIRouter(route_class=route_class)
    router.add_api_route("/things/{key}", listing, methods=["GET"])
    router.add_api_route("/scalars", scalars, methods=["GET"])
    app.include_router(router)
    return app


STOCK_PATHS = Settings(database_url="sqlite://", stock_paths=True)
DIRECT, STOCK, SWITCHED = _app(DirectRoute), _app(APIRoute), _app(DirectRoute, STOCK_PATHS)

SAME_AS_FASTAPI = [
    "/things/abc",
    "/things/abc?area=a&area=b-c&limit=7&as_of=2024-12-31&q=x",
    "/things/abc?limit=0",
    "/things/abc?limit=x&as_of=2024-13-01",
    "/things/abc?area=A_1&area=ok&area=",
    "/things/abc?q=",
    "/things/abc?bogus=1",
    "/things/ABC",
    "/things/abc-much-too-long-for-the-pattern",
    "/scalars",
    "/scalars?limit=3&kind=a&kind=b",
    "/scalars?limit=three",
]


async def _get(app: FastAPI, url: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(url)


@pytest.mark.parametrize("app", [DIRECT, SWITCHED], ids=["direct", "stock_paths"])
@pytest.mark.parametrize("url", SAME_AS_FASTAPI)
async def test_answers_as_fastapis_own_handler(url: str, app: FastAPI) -> None:
    direct, stock = await _get(app, url), await _get(STOCK, url)
    assert (direct.status_code, direct.headers["content-type"]) == (stock.status_code, stock.headers["content-type"])
    assert direct.json() == stock.json()


@pytest.mark.parametrize(
    ("url", "name", "times"),
    [
        ("/things/abc?limit=1&limit=500", "limit", 2),
        ("/things/abc?q=a&q=b&q=c", "q", 3),
        ("/scalars?limit=1&limit=2", "limit", 2),
    ],
)
@pytest.mark.parametrize("app", [DIRECT, SWITCHED], ids=["direct", "stock_paths"])
async def test_a_one_value_parameter_given_twice_is_refused(url: str, name: str, times: int, app: FastAPI) -> None:
    response = await _get(app, url)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    detail = f"{name} is given {times} times, but it takes one value: give it once."
    assert response.json()["errors"] == [{"name": name, "detail": detail}]


async def test_repeatable_parameters_may_repeat() -> None:
    response = await _get(DIRECT, "/things/abc?area=a&area=b&area=c")
    assert response.status_code == 200
    assert response.json()["params"]["area"] == ["a", "b", "c"]


@pytest.mark.parametrize("app", [DIRECT, SWITCHED], ids=["direct", "stock_paths"])
async def test_a_route_without_a_query_model_refuses_undeclared_parameters(app: FastAPI) -> None:
    # FastAPI's own handler ignores `bogus` here; the API never silently ignores a parameter.
    assert (await _get(STOCK, "/scalars?bogus=1")).status_code == 200
    response = await _get(app, "/scalars?bogus=1&limit=2")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"name": "bogus", "detail": "bogus is not a parameter of this endpoint. It takes: limit, kind."}
    ]


def test_a_dependency_it_cannot_provide_is_refused_when_the_route_is_built() -> None:
    def current_user() -> str:
        return "someone"

    def endpoint(user: Annotated[str, Depends(current_user)]) -> Response:
        return Response(user)

    with pytest.raises(TypeError, match="cannot provide the dependency"):
        APIRouter(route_class=DirectRoute).add_api_route("/me", endpoint, methods=["GET"])


async def test_an_endpoint_returning_no_response_is_an_error() -> None:
    def endpoint() -> Any:
        return {"not": "a response"}

    app = FastAPI()
    router = APIRouter(route_class=DirectRoute)
    router.add_api_route("/odd", endpoint, methods=["GET"])
    app.include_router(router)
    with pytest.raises(TypeError, match="returns a Response"):
        await _get(app, "/odd")


def test_every_operation_of_the_api_is_a_direct_route(api: Api) -> None:
    included = [route.original_router.routes for route in api.app.routes if hasattr(route, "original_router")]
    operations = [route for routes in included for route in routes if isinstance(route, APIRoute)]
    assert len(operations) == len([op for methods in api.app.openapi()["paths"].values() for op in methods])
    # Every public read; not the writes and the audit, which need a key (a dependency it refuses).
    public_reads = [route for route in operations if route.methods == {"GET"} and route.path != "/audit"]
    assert all(isinstance(route, DirectRoute) for route in public_reads)
    assert len(public_reads) >= len(operations) - 21
    # DirectRoute refuses app- or include-level dependencies (unless under stock_paths): none.
    assert not api.app.router.dependencies
    assert not any(route.include_context.dependencies for route in api.app.routes if hasattr(route, "include_context"))


@pytest.mark.parametrize("url", ["/healthz?probe=1", "/documents/24th-plenary-press-release/text?x=1"])
def test_api_routes_without_parameters_refuse_unknown_ones(api: Api, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_connection_goes_back_to_the_pool_after_each_kind_of_answer(api: Api) -> None:
    pool = api.app.state.engine.pool
    before = pool.checkedout()
    for url in (
        "/initiatives?limit=2",  # a page
        "/initiatives?format=csv",  # a streamed body
        "/initiatives/no-such-initiative",  # a 404 raised inside the route
        "/initiatives?cursor=forged",  # a problem raised by the query layer
    ):
        api.get(url)
        assert pool.checkedout() == before, url


# -- dependencies it cannot provide, overrides, the stock switch ---------------------------

AUDITED: list[str] = []


async def audit(request: Request) -> None:
    AUDITED.append(request.url.path)


def _with_dependency(level: str, settings: Settings | None = None) -> FastAPI:
    """An app whose DirectRoute gets the `audit` dependency from its app or its include."""
    app = FastAPI(dependencies=[Depends(audit)] if level == "app" else None)
    app.state.settings = settings
    install_problem_handlers(app)
    router = APIRouter(route_class=DirectRoute)
    router.add_api_route("/scalars", scalars, methods=["GET"])
    app.include_router(router, dependencies=[Depends(audit)] if level == "include" else None)
    return app


@pytest.mark.parametrize("level", ["app", "include"])
async def test_an_app_or_include_level_dependency_is_refused_when_the_app_is_built(level: str) -> None:
    AUDITED.clear()
    with pytest.raises(TypeError, match="cannot provide the dependency"):
        build_routes(_with_dependency(level))
    # Built lazily, at the first request, it is refused all the same: never silently skipped.
    with pytest.raises(TypeError, match="cannot provide the dependency"):
        await _get(_with_dependency(level), "/scalars")
    assert not AUDITED


def test_a_router_level_dependency_is_refused_when_the_route_is_built() -> None:
    router = APIRouter(route_class=DirectRoute, dependencies=[Depends(audit)])
    with pytest.raises(TypeError, match="cannot provide the dependency"):
        router.add_api_route("/scalars", scalars, methods=["GET"])


def test_create_app_builds_every_route_at_once() -> None:
    """So a route that cannot be served stops the app when it is made, not at a request."""
    app = create_app(Settings(database_url="sqlite://"))  # a new app: no request has built its routes
    included = [route for route in app.routes if hasattr(route, "original_router")]
    assert included and all(route._effective_candidates_version is not None for route in included)


async def test_under_stock_paths_fastapi_solves_every_dependency() -> None:
    AUDITED.clear()
    app = _with_dependency("app", STOCK_PATHS)
    build_routes(app)
    assert (await _get(app, "/scalars?limit=3")).json() == {"limit": 3, "kind": []}
    assert AUDITED == ["/scalars"]
    assert (await _get(app, "/scalars?limit=3&limit=4")).status_code == 422
    AUDITED.clear()


async def test_an_async_endpoint_behind_a_partial_is_awaited() -> None:
    async def greeting(name: str = "x", punctuation: str = "?") -> Response:
        return Response(f"{name}{punctuation}")

    app = FastAPI()
    router = APIRouter(route_class=DirectRoute)
    router.add_api_route("/greeting", functools.partial(greeting, punctuation="!"), methods=["GET"])
    app.include_router(router)
    assert (await _get(app, "/greeting?name=hello")).text == "hello!"


@pytest.fixture
def other_database(seeded_engine: Engine, database_url_factory: Callable[[str], str]) -> Iterator[Engine]:
    """A migrated, empty database on the same engine as `seeded_engine`."""
    url = database_url_factory(seeded_engine.dialect.name)
    engine = make_engine(Settings(database_url=url), url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_dependency_overrides_are_honoured(
    portal: BlockingPortal, seeded_engine: Engine, other_database: Engine
) -> None:
    api = make_api(portal, seeded_engine)  # its own app: the shared one stays untouched
    closed: list[Connection] = []

    def elsewhere() -> Iterator[Connection]:
        with other_database.connect() as connection:
            yield connection
            closed.append(connection)

    api.app.dependency_overrides[get_connection] = elsewhere
    try:
        assert api.get("/initiatives").json()["items"] == []  # read from the override's database
        assert len(closed) == 1
        # FastAPI's handler serves while overrides are set, after DirectRoute's own refusals.
        assert api.get("/initiatives?limit=1&limit=2").status_code == 422
        assert api.get("/readyz?probe=1").status_code == 422
        assert api.get("/readyz").status_code == 200
    finally:
        api.app.dependency_overrides.clear()
    assert api.get("/initiatives").json()["items"]  # DirectRoute's own path, on the seeded data
    assert len(closed) == 2
