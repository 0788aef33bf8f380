"""The list and detail endpoints every resource shares: one implementation of paging,
formats, caching and errors; a resource's router only declares what is its own."""

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from sqlalchemy import Connection
from starlette.responses import Response, StreamingResponse

from app.api import formats
from app.api.caching import conditional
from app.api.deps import DbConnection, run_query
from app.api.formats import Format
from app.api.params import SLUG_PATTERN, Filters, detail_query_model, list_query_model, list_request
from app.api.problems import problem_responses
from app.api.schemas import Page
from app.api.table_schema import described_by
from app.query.engine import ListRequest, QueryEngine
from app.query.spec import ResourceSpec

KeyPath = Annotated[
    str,
    Path(
        description="The record's numeric id or its slug.",
        min_length=1,
        max_length=120,
        pattern=SLUG_PATTERN,
    ),
]


# The headers of a page of any paged response (documented once, for OpenAPI).
PAGE_HEADERS: dict[str, Any] = {
    "Link": {
        "description": 'RFC 8288 `<...>; rel="next"` when there is a next page (JSON); on a CSV, '
        '`<...>; rel="describedby"`: the Table Schema of its columns.',
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": "Validator for If-None-Match.",
        "schema": {"type": "string"},
    },
}


def next_page_headers(request: Request, headers: dict[str, str], next_cursor: str | None) -> dict[str, str]:
    """`headers` and, when there is a next page, its RFC 8288 Link: this request with `cursor` replaced."""
    if not next_cursor:
        return headers
    next_url = request.url.include_query_params(cursor=next_cursor)
    return {**headers, "Link": f'<{next_url}>; rel="next"'}


def add_collection(
    router: APIRouter,
    spec: ResourceSpec,
    filters: type[Filters],
    item_schema: type[BaseModel],
    *,
    list_description: str,
    example_key: str,
    path: str | None = None,
    detail_description: str | None = None,
) -> None:
    """The list route at `path` (default `/<spec.name>`) and the detail route below it."""
    query_model = list_query_model(spec, filters)
    detail_model = detail_query_model(spec)
    plural = spec.name
    path = path or f"/{plural}"

    @router.get(
        path,
        response_model=Page[item_schema],  # type: ignore[valid-type]
        summary=f"List {plural.replace('_', ' ')}",
        description=list_description,
        operation_id=f"list_{plural}",
        responses={
            200: {
                "description": f"A page of {plural} (JSON), or all of them (CSV, NDJSON). A CSV links the Table "
                'Schema of its columns (`Link: <...>; rel="describedby"`).',
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
                "headers": PAGE_HEADERS,
            },
            304: {"description": "Not modified (If-None-Match matched the ETag)."},
            **problem_responses(422, 503),
        },
    )
    async def list_records(
        request: Request,
        params: Annotated[query_model, Query()],  # type: ignore[valid-type]
        connection: DbConnection,
    ) -> Response:
        fmt = formats.negotiate(request, params.format)  # type: ignore[attr-defined]
        formats.reject_bom_without_csv(fmt, params.bom)  # type: ignore[attr-defined]
        query = list_request(spec, params)
        bom: bool = params.bom  # type: ignore[attr-defined]
        # An export is the whole filtered set unless the client gave `limit` (its page size otherwise).
        export_limit = query.limit if "limit" in params.model_fields_set else None  # type: ignore[attr-defined]
        return await run_query(connection, lambda c: _list(request, c, spec, query, fmt, bom, export_limit))

    @router.get(
        f"{path}/{{key}}",
        response_model=item_schema,
        summary=f"Get one {spec.singular} with its related records",
        description=detail_description
        or f"Look a {spec.singular} up by numeric id or slug (e.g. `{example_key}`); its related records are embedded.",
        operation_id=f"get_{spec.singular}",
        responses={304: {"description": "Not modified."}, **problem_responses(404, 422, 503)},
    )
    async def get_record(
        request: Request,
        key: KeyPath,
        params: Annotated[detail_model, Query()],  # type: ignore[valid-type]
        connection: DbConnection,
    ) -> Response:
        as_of, known_at = getattr(params, "as_of", None), getattr(params, "known_at", None)
        return await run_query(connection, lambda c: _detail(request, c, spec, key, as_of, known_at))


def _list(
    request: Request,
    connection: Connection,
    spec: ResourceSpec,
    query: ListRequest,
    fmt: Format,
    bom: bool,
    export_limit: int | None = None,
) -> Response:
    # due_state and outcomes depend on today's date unless the client fixed `as_of` (or `known_at`).
    today = date.today() if spec.reads_a_date and query.as_of is None and query.known_at is None else ""
    headers, not_modified = conditional(request, connection, f"{fmt}|{today}")
    if not_modified:
        return not_modified
    if fmt is Format.JSON:
        return _json_page(request, QueryEngine(connection), spec, query, headers)
    # Validate the whole request before streaming: once the body starts, a 422 can't follow. With
    # `limit`, the same page also says whether there is a next one, for the Link header.
    first = QueryEngine(connection).page(
        spec, ListRequest(**{**query.__dict__, "limit": export_limit or 1, "facets": (), "include": ()})
    )
    if export_limit is not None:
        headers = next_page_headers(request, headers, first.next_cursor)
    if fmt is Format.CSV:
        headers = described_by(request, spec.name, headers)
    return _streamed(connection, spec, query, fmt, bom, headers, export_limit)


def _detail(
    request: Request,
    connection: Connection,
    spec: ResourceSpec,
    key: str,
    as_of: date | None,
    known_at: date | None,
) -> Response:
    today = date.today() if spec.reads_a_date and as_of is None and known_at is None else ""
    headers, not_modified = conditional(request, connection, f"json|{today}")
    if not_modified:
        return not_modified
    record = QueryEngine(connection).one(spec, key, as_of, known_at)
    return Response(formats.json_bytes(record), media_type=formats.JSON_MEDIA_TYPE, headers=headers)


def _json_page(
    request: Request,
    engine: QueryEngine,
    spec: ResourceSpec,
    query: ListRequest,
    headers: dict[str, str],
) -> Response:
    page = engine.page(spec, query)
    body: dict[str, Any] = {"items": page.items, "next_cursor": page.next_cursor}
    if page.total is not None:
        body["total"] = page.total
    if page.facets is not None:
        body["facets"] = page.facets
    headers = next_page_headers(request, headers, page.next_cursor)
    return Response(formats.json_bytes(body), media_type=formats.JSON_MEDIA_TYPE, headers=headers)


def _streamed(
    connection: Connection,
    spec: ResourceSpec,
    query: ListRequest,
    fmt: Format,
    bom: bool,
    headers: dict[str, str],
    limit: int | None,
) -> StreamingResponse:
    def rows() -> Iterator[dict[str, Any]]:
        # The request's own connection (and snapshot): FastAPI closes it only after the body is
        # sent. A second connection per export would deadlock the pool once half of it streams.
        yield from QueryEngine(connection).stream(spec, query, limit)

    extension = "csv" if fmt is Format.CSV else "ndjson"
    disposition = {"Content-Disposition": f'attachment; filename="{spec.name}.{extension}"'}
    if fmt is Format.CSV:
        return StreamingResponse(
            formats.csv_lines(spec.output_labels, rows(), bom=bom),
            media_type=formats.CSV_MEDIA_TYPE,
            headers={**headers, **disposition},
        )
    return StreamingResponse(
        formats.ndjson_lines(rows()),
        media_type=formats.NDJSON_MEDIA_TYPE,
        headers={**headers, **disposition},
    )
