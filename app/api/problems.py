"""RFC 9457 problem details: every error the API returns is one of these, in one place."""

import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.api.messages import explain, route_parameters
from app.api.security_headers import security_headers
from app.db.engine import is_statement_timeout
from app.query.errors import NotFound, QueryError
from app.query.suggestions import closest, did_you_mean

PROBLEM_MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_S = 5
TIMED_OUT = "The query ran longer than the statement timeout and was cancelled; retry shortly, or narrow it."
log = logging.getLogger("app.errors")


class ProblemParameter(BaseModel):
    name: str = Field(description="The query parameter (or path part) at fault.")
    detail: str


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(examples=["/problems/invalid-parameter"])
    title: str = Field(examples=["Invalid parameter"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["limit must be from 1 to 500, not 0."])
    instance: str = Field(description="The path that was requested.", examples=["/initiatives"])
    request_id: str | None = Field(default=None, description="Also in the X-Request-ID header.")
    errors: list[ProblemParameter] | None = None


class RequestRefused(Exception):
    """A request refused for what it is, not for its parameters: who sent it (401, 403, 429), its
    preconditions (412, 428), or what it would write (409, 422). Subclasses set the status."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(
        self, detail: str, *, headers: dict[str, str] | None = None, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        self.errors = errors


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    type_slug: str | None = None,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"/problems/{type_slug}" if type_slug else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _parameter_name(location: tuple[Any, ...]) -> str:
    # ("query", "unit", 0) -> "unit": the place and the index of a repeated parameter are not its
    # name; ("query", "query") -> "query", a parameter of that name.
    if location and location[0] in ("query", "path", "body", "header"):
        location = location[1:]
    parts = [str(part) for part in location if isinstance(part, str)]
    return ".".join(parts) or "request"


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    parameters = route_parameters(request)
    errors = []
    for found in error.errors():
        name = _parameter_name(tuple(found.get("loc", ())))
        errors.append({"name": name, "detail": explain(name, found, parameters)[:600]})
    detail = " ".join(dict.fromkeys(e["detail"] for e in errors))[:1500]
    return problem_response(
        request,
        422,
        detail,
        type_slug="invalid-parameter",
        title="Invalid parameter",
        errors=errors,
    )


async def _query(request: Request, error: Exception) -> Response:
    assert isinstance(error, QueryError)
    errors = [{"name": error.parameter, "detail": error.detail}] if error.parameter else None
    return problem_response(
        request,
        error.status,
        error.detail,
        type_slug=error.type_slug,
        title=error.title,
        errors=errors,
    )


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestRefused)
    return problem_response(
        request,
        error.status,
        error.detail,
        type_slug=error.type_slug,
        title=error.title,
        errors=error.errors,
        headers=error.headers,
    )


async def _not_found(request: Request, error: Exception) -> Response:
    assert isinstance(error, NotFound)
    return problem_response(request, 404, str(error), type_slug=error.type_slug, title="Not found")


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).description
    if error.status_code == 404 and detail == "Not Found":
        detail = (
            f"There is nothing at {request.url.path}.{did_you_mean(_paths_like(request))} "
            "GET / lists the collections; /docs documents every endpoint."
        )
    elif error.status_code == 405:
        allowed = ", ".join(_methods_of(request)) or "GET, HEAD"
        detail = (
            f"{request.method} is not allowed on {request.url.path}: use {allowed}. Reads are public; "
            "the writes curators make need an API key (docs/CURATING.md)."
        )
    return problem_response(request, error.status_code, detail, headers=getattr(error, "headers", None))


def _methods_of(request: Request) -> list[str]:
    """Every method some route takes at this path (Starlette's Allow names the first route's only)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):  # routes of included routers too
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")  # app/api/same_answer.py answers HEAD as GET
    order = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"]
    return sorted(methods, key=lambda method: order.index(method) if method in order else len(order))


def _paths_like(request: Request) -> list[str]:
    """The paths meant by a mistyped one: its first part replaced by the closest collection's
    ("/initiative/x" -> "/initiatives/x")."""
    first, _, rest = request.url.path.strip("/").partition("/")
    known = {path.strip("/").split("/")[0] for path in request.app.openapi()["paths"]} - {""}
    if first in known or first in ("docs", "redoc"):  # the collection is right: the rest is not
        return []
    return [f"/{name}" + (f"/{rest}" if rest else "") for name in closest(first, known)]


async def _database_unavailable(request: Request, error: Exception) -> Response:
    timed_out = is_statement_timeout(getattr(error, "orig", None))
    log.error(
        "database unavailable: %s",
        "statement timeout" if timed_out else type(error).__name__,
        extra={"request_id": getattr(request.state, "request_id", None)},
    )
    return problem_response(
        request,
        503,
        TIMED_OUT if timed_out else "The database is unavailable; retry shortly.",
        type_slug="database-unavailable",
        title="Service unavailable",
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


async def _unexpected(request: Request, error: Exception) -> Response:
    request_id = getattr(request.state, "request_id", None)
    log.exception("unexpected error", extra={"request_id": request_id})
    # Starlette runs this handler outside every middleware, so the request-id middleware
    # never sees this response: echo the id here.
    return problem_response(
        request,
        500,
        "An unexpected error occurred; it has been logged.",
        type_slug="internal-error",
        title="Internal server error",
        # Starlette runs this handler outside every middleware: add the headers they would.
        headers={**security_headers(PROBLEM_MEDIA_TYPE), **({"X-Request-ID": request_id} if request_id else {})},
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(QueryError, _query)
    app.add_exception_handler(RequestRefused, _refused)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeout, _database_unavailable)
    app.add_exception_handler(DBAPIError, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the problem responses an operation can return."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
