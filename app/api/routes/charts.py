"""Pictures where people would rather look than read: /timeline.svg and /metrics/series/{key}.svg."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection
from starlette.responses import Response

from app.api import charts
from app.api.caching import conditional
from app.api.collection import KeyPath, next_page_headers
from app.api.deps import DbConnection, run_query
from app.api.problems import problem_responses
from app.api.routes.analysis import TimelineFilters, timeline_request
from app.api.routing import DirectRoute
from app.query.engine import ListRequest, QueryEngine
from app.query.resources import DOCUMENTS, MILESTONES, SERIES

router = APIRouter(route_class=DirectRoute)
# A picture of more rows than this is not read, and takes seconds to draw.
PICTURE_ROWS = 100

SVG_EXAMPLE = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    'width="720pt" height="324pt" viewBox="0 0 720 324">...<text>Hong Kong private cars that have taken part in '
    "Northbound Travel for Hong Kong Vehicles</text>...</svg>\n"
)


def svg_responses(description: str, *problems: int) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": description,
            "content": {charts.SVG_MEDIA_TYPE: {"schema": {"type": "string"}, "example": SVG_EXAMPLE}},
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(*problems),
    }


class TimelinePictureQuery(TimelineFilters):
    limit: int = Field(50, ge=1, le=PICTURE_ROWS, description=f"Rows in the picture (1-{PICTURE_ROWS}).", examples=[20])


@router.get(
    "/timeline.svg",
    tags=["milestones"],
    summary="The timeline as a picture",
    description="An SVG chart of the milestones /timeline lists (the same filters, in the same order): one "
    "row each, a bar over its window from its earliest to its latest possible day (hatched to the edge when "
    "open-ended), coloured by kind (happened, scheduled, target), with a line at today and the source "
    'documents named below. Up to `limit` rows; `Link: rel="next"` gives the next picture.',
    operation_id="timeline_svg",
    response_class=Response,
    responses=svg_responses("An SVG picture.", 422, 503),
)
async def timeline_picture(
    request: Request, params: Annotated[TimelinePictureQuery, Query()], connection: DbConnection
) -> Response:
    query = timeline_request(params)
    return await run_query(connection, lambda c: _timeline_picture(request, c, query))


def _timeline_picture(request: Request, connection: Connection, query: ListRequest) -> Response:
    today = date.today()
    headers, not_modified = conditional(request, connection, f"svg|{today}")
    if not_modified:
        return not_modified
    engine = QueryEngine(connection)
    page = engine.page(MILESTONES, query)
    cited = {m["source"]["document"] for m in page.items}
    svg = charts.timeline_svg(page.items, _documents(engine, cited), today, more=page.next_cursor is not None)
    headers = next_page_headers(request, headers, page.next_cursor)
    return Response(svg, media_type=charts.SVG_MEDIA_TYPE, headers=headers)


@router.get(
    "/metrics/series/{key}.svg",
    tags=["metrics"],
    summary="A series over time as a picture",
    description="An SVG chart of one series (by id or slug, e.g. `northbound-travel-participating-cars`): each "
    "observation at the end of the period it is as of, labelled with its value as the text words it "
    "('over 65 000'), joined by a line; titled with the series' label, the unit on the axis, the source "
    "documents named below.",
    operation_id="series_svg",
    response_class=Response,
    responses=svg_responses("An SVG picture.", 404, 422, 503),
)
async def series_picture(request: Request, key: KeyPath, connection: DbConnection) -> Response:
    return await run_query(connection, lambda c: _series_picture(request, c, key))


def _series_picture(request: Request, connection: Connection, key: str) -> Response:
    headers, not_modified = conditional(request, connection, "svg")
    if not_modified:
        return not_modified
    engine = QueryEngine(connection)
    series = engine.one(SERIES, key)
    cited = {o["source"]["document"] for o in series["observations"]}
    return Response(
        charts.series_svg(series, _documents(engine, cited)), media_type=charts.SVG_MEDIA_TYPE, headers=headers
    )


def _documents(engine: QueryEngine, slugs: set[str]) -> list[dict[str, Any]]:
    """The cited documents, oldest first (there are few: the register's sources)."""
    documents = engine.page(DOCUMENTS, ListRequest(limit=500, sort="published_on")).items
    return [d for d in documents if d["slug"] in slugs]
