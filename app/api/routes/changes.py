"""/changes, /changes.atom and /documents/{key}/changes: what each document added or changed."""

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection
from starlette.responses import Response

from app.api.atom import ATOM_MEDIA_TYPE, changes_feed
from app.api.caching import conditional
from app.api.collection import PAGE_HEADERS, KeyPath
from app.api.deps import DbConnection, run_query
from app.api.entry_pages import ENTRY_CONTENT, Representation, entries_response
from app.api.params import CommaLists, cursor_field, limit_field
from app.api.problems import problem_responses
from app.api.routing import DirectRoute
from app.api.schemas import Change, Page
from app.models.vocab import ChangeKind, RecordType
from app.query.changes import ChangesRequest, changes
from app.query.engine import Page as QueryPage

router = APIRouter(tags=["changes"], route_class=DirectRoute)

FEED_SIZE = 100
# Where the API serves each kind of record (RecordType).
RECORD_PATHS: dict[str, str] = {
    RecordType.AREA: "/areas",
    RecordType.PLACE: "/places",
    RecordType.ORGANISATION: "/organisations",
    RecordType.OFFICIAL: "/officials",
    RecordType.MEETING: "/meetings",
    RecordType.INITIATIVE: "/initiatives",
    RecordType.AGREEMENT: "/agreements",
    RecordType.METRIC_SERIES: "/metrics/series",
    RecordType.METRIC: "/metrics",
    RecordType.MILESTONE: "/milestones",
}
KINDS_DESCRIPTION = (
    "Kinds of change (repeatable): `record_added`, `status_changed`, `observation_added`, `target_met`, "
    "`target_met_late`, `target_superseded`, `post_started`, `post_ended`. Default: every kind."
)


class ChangeFilters(CommaLists):
    kind: list[ChangeKind] = Field(default_factory=list, description=KINDS_DESCRIPTION)


class FeedQuery(ChangeFilters):
    published_from: date | None = Field(
        None, description="Changes of documents published on or after this day.", examples=["2024-07-01"]
    )
    published_to: date | None = Field(
        None, description="Changes of documents published on or before this day.", examples=["2024-12-31"]
    )


class ChangesQuery(FeedQuery, Representation):
    sort: Literal["-published_on", "published_on"] = Field(
        "-published_on",
        description="By the document's publication date: newest first (`-published_on`, the default) or oldest "
        "first. A document's own changes keep one order: new records, then status changes, figures, targets, posts.",
    )
    limit: int = limit_field()
    cursor: str | None = cursor_field()


class DocumentChangesQuery(ChangeFilters, Representation):
    limit: int = limit_field()
    cursor: str | None = cursor_field()


CHANGES_DESCRIPTION = (
    "What each document added or changed, one entry per change: `record_added` (a record it defines: "
    "area, place, organisation, official, meeting, initiative, agreement, figure series, milestone), "
    "`status_changed` (a status statement about an initiative defined earlier, with `previous_status`, "
    "the latest earlier statement by effective date; a statement repeating that status changes nothing and "
    "is left out), `observation_added` (a figure, with `previous_value`, the series' observation before it), "
    "`target_met` / `target_met_late` (a target reached, on or before / after its latest possible date), "
    "`target_superseded` (a new target in place of an earlier one), `post_started` / `post_ended` (an "
    "official's new post, and the post it replaced). Each entry names the record it is about, with its "
    "API URL, and quotes the document."
)


@router.get(
    "/changes",
    response_model=Page[Change],
    summary="What every document added or changed, newest first",
    description=CHANGES_DESCRIPTION + " Filter by kind and by the documents' publication date "
    "(`published_from`, `published_to`: the date the change became known, not its effective date). "
    "Paged like the collections (`limit`, `cursor`, `Link`); CSV and NDJSON (`format`, or Accept) stream every "
    "change, one column per field (`record_url`, `source_quote`, ...).",
    operation_id="list_changes",
    responses={
        200: {
            "description": "A page of changes (JSON), or all of them (CSV, NDJSON).",
            "content": ENTRY_CONTENT,
            "headers": PAGE_HEADERS,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(422, 503),
    },
)
async def list_changes(
    request: Request, params: Annotated[ChangesQuery, Query()], connection: DbConnection
) -> Response:
    query = ChangesRequest(
        kinds=tuple(params.kind),
        published_from=params.published_from,
        published_to=params.published_to,
        newest_first=params.sort == "-published_on",
        limit=params.limit,
        cursor=params.cursor,
    )
    return await run_query(connection, lambda c: _page(request, c, query, params, "changes"))


@router.get(
    "/documents/{key}/changes",
    response_model=Page[Change],
    summary="What one document added or changed",
    description="The changes of one document (by id or slug, e.g. `24th-plenary-press-release`), in the order "
    "of /changes: new records, then status changes, figures, targets and posts. " + CHANGES_DESCRIPTION,
    operation_id="list_document_changes",
    responses={
        200: {
            "description": "A page of the document's changes (JSON), or all of them (CSV, NDJSON).",
            "content": ENTRY_CONTENT,
            "headers": PAGE_HEADERS,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(404, 422, 503),
    },
)
async def document_changes(
    request: Request, key: KeyPath, params: Annotated[DocumentChangesQuery, Query()], connection: DbConnection
) -> Response:
    query = ChangesRequest(kinds=tuple(params.kind), document=key, limit=params.limit, cursor=params.cursor)
    return await run_query(connection, lambda c: _page(request, c, query, params, f"{key}-changes"))


@router.get(
    "/changes.atom",
    summary="The latest changes as an Atom feed",
    description=f"The latest {FEED_SIZE} changes of /changes (newest document first) as an Atom 1.0 feed, with "
    "the same filters. Each entry links to the record's API URL and to the document, and quotes the document's "
    "words; its `updated` date is the document's publication date. Entry ids stay the same across requests.",
    operation_id="changes_feed",
    response_class=Response,
    responses={
        200: {"description": "An Atom feed.", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(422, 503),
    },
)
async def feed(request: Request, params: Annotated[FeedQuery, Query()], connection: DbConnection) -> Response:
    query = ChangesRequest(
        kinds=tuple(params.kind),
        published_from=params.published_from,
        published_to=params.published_to,
        limit=FEED_SIZE,
    )
    return await run_query(connection, lambda c: _feed(request, c, query))


def _page(
    request: Request, connection: Connection, query: ChangesRequest, params: Representation, filename: str
) -> Response:
    def fetch(c: Connection, cursor: str | None, limit: int) -> QueryPage:
        return _with_urls(changes(c, replace(query, cursor=cursor, limit=limit)))

    return entries_response(
        request,
        connection,
        fetch,
        params=params,
        limit=query.limit,
        cursor=query.cursor,
        item_schema=Change,
        filename=filename,
    )


def _feed(request: Request, connection: Connection, query: ChangesRequest) -> Response:
    headers, not_modified = conditional(request, connection, "atom")
    if not_modified:
        return not_modified
    page = _with_urls(changes(connection, query))
    api_root = str(request.base_url).rstrip("/")
    alternate = str(request.url.replace(path=request.url.path.removesuffix(".atom")))
    body = changes_feed(page.items, str(request.url), api_root, alternate)
    return Response(body, media_type=ATOM_MEDIA_TYPE, headers=headers)


def _with_urls(page: QueryPage) -> QueryPage:
    for change in page.items:
        record: dict[str, Any] = change["record"]
        record["url"] = f"{RECORD_PATHS[record['type']]}/{record['slug']}"
    return page
