"""DirectRoute: FastAPI routes whose requests skip FastAPI's per-request dependency solving.

The endpoint's signature still declares everything (a typed query model or query parameters,
path parameters, the database connection), so the OpenAPI document, Swagger UI and the 422
problems stay exactly FastAPI's. What changes is the work per request: the query string is read
in one pass, validated by the very ModelFields FastAPI built from the signature, and the
connection is checked out directly instead of through an async generator and its exit stacks.
A profile put FastAPI's dependency solving at a third of a list page's time (docs/PERFORMANCE.md).

Every route here also refuses a one-value parameter given twice (`limit=1&limit=500`: taking
either would be a guess) and, on a route without a query model, any parameter it does not
declare: no parameter is ever silently ignored.

Only what this app's endpoints use is supported: a `Request`, path and query parameters, and the
dependencies in PROVIDERS. Anything else is refused when FastAPI builds the route, not at request
time: a dependency of the endpoint, of its router, of an include_router() or of the app (FastAPI
builds an included route lazily; `build_routes` makes it happen when the app is made).

Two things hand a request to FastAPI's own handler instead (after the same refusals):
`app.dependency_overrides` holding anything (FastAPI honours the overrides), and
Settings.stock_paths, under which every request goes the stock way (docs/UPGRADING.md).
"""

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, get_origin

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts

# The route as FastAPI includes it (with its router's, include's and app's dependencies), set
# while it builds the handler: APIRoute.get_route_handler reads it too. docs/UPGRADING.md.
from fastapi.routing import _effective_route_context_var as _included_route
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import checkout, get_connection, get_engine
from app.query.errors import InvalidParameter

# pydantic's own message for a field a model with extra="forbid" does not declare.
EXTRA_FORBIDDEN = "Extra inputs are not permitted"
Provider = Callable[[Request], Awaitable[Any]]


async def _engine(request: Request) -> Any:
    return get_engine(request)


# What an endpoint may depend on, and how each is provided without FastAPI's solver.
PROVIDERS: dict[Callable[..., Any], Provider] = {get_connection: checkout, get_engine: _engine}


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list or annotation is list


def _is_coroutine_function(call: Callable[..., Any]) -> bool:
    """Whether calling `call` gives a coroutine (a partial of one, or an object with an async __call__)."""
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


@dataclass(frozen=True)
class _Field:
    """A path or query parameter: FastAPI's ModelField and its name in the request."""

    field: Any  # fastapi._compat.ModelField
    alias: str

    def value(self, values: dict[str, Any], loc: tuple[str, str]) -> tuple[Any, list[dict[str, Any]]]:
        """Validate as FastAPI does: a missing value takes the default, or is a `missing` error."""
        if self.alias in values:
            result: tuple[Any, list[dict[str, Any]]] = self.field.validate(values[self.alias], {}, loc=loc)
            return result
        info = self.field.field_info
        if info.is_required():
            return None, [{"type": "missing", "loc": loc, "msg": "Field required", "input": None}]
        default = deepcopy(self.field.default)
        if info.validate_default:
            validated: tuple[Any, list[dict[str, Any]]] = self.field.validate(default, {}, loc=loc)
            return validated
        return default, []


@dataclass(frozen=True)
class QueryNames:
    """The query parameter names a route takes: what every handler refuses before validating."""

    declared: frozenset[str] | None  # None: the route's query model refuses what it does not declare
    repeatable: frozenset[str]  # names that may be given more than once

    @classmethod
    def of(cls, dependant: Dependant, route_name: str) -> "QueryNames":
        repeatable: set[str] = set()
        declared: set[str] = set()
        model = None
        for field in dependant.query_params:
            annotation = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                if model is not None or dependant.query_params[1:]:
                    raise TypeError(f"{route_name}: a query model must be the route's only query parameter")
                model = annotation
                repeatable |= {n for n, f in annotation.model_fields.items() if _is_list(f.annotation)}
            else:
                declared.add(field.alias)
                if _is_list(annotation):
                    repeatable.add(field.alias)
        return cls(None if model is not None else frozenset(declared), frozenset(repeatable))

    def received(self, request: Request) -> dict[str, Any]:
        """The query string as {name: value}, a list of values for a repeatable name; a one-value
        name given twice is an InvalidParameter (taking either value would be a guess)."""
        received: dict[str, Any] = {}
        repeats: dict[str, int] = {}
        for name, value in request.query_params.multi_items():
            if name in self.repeatable:
                received.setdefault(name, []).append(value)
            elif name in received:
                repeats[name] = repeats.get(name, 1) + 1
            else:
                received[name] = value
        if repeats:
            name, count = next(iter(repeats.items()))
            raise InvalidParameter(
                f"{name} is given {count} times, but it takes one value: give it once.", parameter=name
            )
        return received

    def undeclared(self, received: dict[str, Any]) -> list[dict[str, Any]]:
        """A validation error for each name a route without a query model does not declare."""
        if self.declared is None:
            return []
        return [
            {"type": "extra_forbidden", "loc": ("query", key), "msg": EXTRA_FORBIDDEN, "input": value}
            for key, value in received.items()
            if key not in self.declared
        ]


@dataclass(frozen=True)
class RequestPlan:
    """How one route reads a request: worked out once, when the route is built."""

    request_name: str | None
    path: tuple[tuple[str, _Field], ...]
    query: tuple[tuple[str, _Field], ...]
    query_model: tuple[str, Any] | None  # (parameter name, ModelField of the model)
    names: QueryNames
    providers: tuple[tuple[str, Provider], ...]

    @classmethod
    def of(cls, dependant: Dependant, route_name: str) -> "RequestPlan":
        unsupported = [
            kind for kind in ("header_params", "cookie_params", "body_params") if getattr(dependant, kind)
        ] + [
            kind
            for kind in (
                "websocket_param_name",
                "http_connection_param_name",
                "response_param_name",
                "background_tasks_param_name",
                "security_scopes_param_name",
            )
            if getattr(dependant, kind)
        ]
        if unsupported:
            raise TypeError(f"{route_name}: DirectRoute does not provide {', '.join(unsupported)}")
        providers = []
        for sub in dependant.dependencies:
            if sub.call not in PROVIDERS or sub.name is None:
                raise TypeError(
                    f"{route_name}: DirectRoute cannot provide the dependency {sub.call!r} (an app-, include- "
                    "or router-level dependency included); declare it as a parameter of a plain APIRoute"
                )
            providers.append((sub.name, PROVIDERS[sub.call]))
        names = QueryNames.of(dependant, route_name)
        query: list[tuple[str, _Field]] = []
        model: tuple[str, Any] | None = None
        for field in dependant.query_params:
            if names.declared is None:
                model = (field.name, field)
            else:
                query.append((field.name, _Field(field, field.alias)))
        path = tuple((f.name, _Field(f, f.alias)) for f in dependant.path_params)
        return cls(dependant.request_param_name, path, tuple(query), model, names, tuple(providers))

    def collect(self, request: Request) -> dict[str, Any]:
        """The endpoint's arguments from the request, or a 422 (RequestValidationError) or
        InvalidParameter naming what is wrong. Dependencies are not provided here."""
        received = self.names.received(request)
        arguments: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        if self.request_name:
            arguments[self.request_name] = request
        path_values = request.path_params
        for name, parameter in self.path:
            arguments[name], found = parameter.value(path_values, ("path", parameter.alias))
            errors += found
        if self.query_model is not None:
            # The model's own extra="forbid" refuses what it does not declare.
            name, field = self.query_model
            arguments[name], found = field.validate(received, {}, loc=("query",))
            errors += found
        else:
            errors += self.names.undeclared(received)
            for name, parameter in self.query:
                arguments[name], found = parameter.value(received, ("query", parameter.alias))
                errors += found
        if errors:
            raise RequestValidationError(errors)
        return arguments


def _stock_paths(app: Any) -> bool:
    """Whether the app serves every request the stock way (Settings.stock_paths)."""
    settings = getattr(getattr(app, "state", None), "settings", None)
    return bool(getattr(settings, "stock_paths", False))


def build_routes(app: FastAPI) -> None:
    """Build every route's handler now rather than at its first request: a DirectRoute then
    refuses what it cannot serve (an app- or include-level dependency) when the app is made."""
    for _ in iter_route_contexts(app.routes):
        pass


class DirectRoute(APIRoute):
    """An APIRoute whose handler reads the request with a RequestPlan (see the module's doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        included = _included_route.get()
        route: Any = included if included is not None and included.original_route is self else self
        names = QueryNames.of(route.dependant, self.name)
        fastapi_handler = super().get_route_handler()  # FastAPI's own, for the same route

        async def stock(request: Request) -> Response:
            errors = names.undeclared(names.received(request))
            if errors:
                raise RequestValidationError(errors)
            return await fastapi_handler(request)

        app = route.dependency_overrides_provider  # the app, once the route is included in one
        if _stock_paths(app):
            return stock
        plan = RequestPlan.of(route.dependant, self.name)
        endpoint = self.endpoint
        is_async = _is_coroutine_function(endpoint)

        async def handle(request: Request) -> Response:
            if app is not None and app.dependency_overrides:
                return await stock(request)  # FastAPI's solver honours the overrides
            arguments = plan.collect(request)
            for name, provide in plan.providers:
                arguments[name] = await provide(request)
            response = await endpoint(**arguments) if is_async else await run_in_threadpool(endpoint, **arguments)
            if not isinstance(response, Response):
                raise TypeError(f"{self.name} returned {type(response).__name__}; a DirectRoute returns a Response")
            return response

        return handle
