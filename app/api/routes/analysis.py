"""/metrics/summary and /timeline: answers for analysts, computed over the filtered set."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from starlette.responses import Response

from app.api.caching import conditional
from app.api.collection import PAGE_HEADERS, next_page_headers
from app.api.deps import DbConnection, run_query
from app.api.formats import json_bytes
from app.api.params import check_filters, comma_choices, cursor_field, limit_field
from app.api.problems import problem_responses
from app.api.routes.metrics import MetricFilters
from app.api.routes.milestones import MilestoneFilters
from app.api.routing import DirectRoute
from app.api.schemas import Milestone
from app.models.vocab import MetricUnit
from app.query.engine import ListRequest, QueryEngine
from app.query.resources import METRICS, MILESTONES
from app.query.summary import GROUPS, summarise
from app.query.timeline import group_by_period

router = APIRouter(route_class=DirectRoute)
SEARCH = Field(
    None, min_length=1, max_length=200, description="Full-text search, as on the collections.", examples=["hydrogen"]
)


class SummaryQuery(MetricFilters):
    group_by: Annotated[str, comma_choices("group_by", list(GROUPS))] = Field(
        "unit",
        description="Comma-separated: `area`, `unit`, `year` (of the as-of date). Without `unit`, "
        "the selected metrics must share one unit: sums across units are refused (422).",
        examples=["area,unit"],
    )
    q: str | None = SEARCH


class SummaryGroup(BaseModel):
    area: str | None = None
    year: int | None = None
    unit: MetricUnit
    count: int = Field(description="How many series the group holds: each counts once, by its latest figure.")
    min: float = Field(description="The smallest of those figures.")
    max: float = Field(description="The largest of those figures.")
    sum: float | None = Field(
        description="Given only for a group of one series (its figure): figures of different series are "
        "never added, as nothing says they count different things. Null otherwise; see `sum_reason`."
    )
    sum_reason: str | None = Field(description="Why `sum` is null; null when it is given.")


class Summary(BaseModel):
    group_by: list[str]
    groups: list[SummaryGroup]


class TimelineQuery(MilestoneFilters):
    q: str | None = SEARCH
    limit: int = limit_field()
    cursor: str | None = cursor_field()


# Their filters are their resources' (checked both ways, as every collection's are); the rest are their own controls.
SUMMARY_CONTROLS = frozenset({"group_by", "q"})
TIMELINE_CONTROLS = frozenset({"q", "limit", "cursor"})
check_filters(METRICS, SummaryQuery, general=SUMMARY_CONTROLS)
check_filters(MILESTONES, TimelineQuery, general=TIMELINE_CONTROLS)


class TimelinePeriod(BaseModel):
    period: str = Field(
        description="'2024-07', '2024-Q3', '2025' or '2022/23 school year': as precise as the dates in it."
    )
    start: date = Field(description="The start of its earliest milestone (on this page).")
    milestones: list[Milestone]


class Timeline(BaseModel):
    periods: list[TimelinePeriod]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


SUMMARY_DESCRIPTION = """Aggregates the filtered metrics per `group_by` group, never across units.

* **One figure per series.** The filters choose observations; of those, each series (see
  /metrics/series) contributes its latest (as-of end, then id): a measure reported three times
  counts once, as it last stood. `as_of_to=2024-12-31` gives the figures as they stood at the end
  of 2024; `document=...` what one document reported.
* **`count`, `min`, `max`** describe those figures.
* **`sum` only for one series.** Figures of different series are never added: a unit says what is
  counted, not whether two series count different things. The seed's seven EHCV medical
  institutions include its five integrated and two dental ones; its 1.7 million eligible elderly
  live among the 86 million population base. So `sum` is null for a group of several series,
  with `sum_reason` saying why, and is the figure itself for a group of one.
"""


def _filters(params: BaseModel, spec_filters: Any) -> dict[str, Any]:
    return {k: v for k, v in params.model_dump().items() if k in spec_filters and v not in (None, [])}


@router.get(
    "/metrics/summary",
    tags=["metrics"],
    response_model=Summary,
    operation_id="summarise_metrics",
    summary="Count, min and max of the latest figure of each series, per group",
    description=SUMMARY_DESCRIPTION,
    responses=problem_responses(422, 503),
)
async def metrics_summary(
    request: Request, params: Annotated[SummaryQuery, Query()], connection: DbConnection
) -> Response:
    group_by = list(dict.fromkeys(params.group_by.split(",")))
    query = ListRequest(filters=_filters(params, METRICS.filters), q=params.q)
    return await run_query(connection, lambda c: _summary(request, c, query, group_by))


def _summary(request: Request, connection: Connection, query: ListRequest, group_by: list[str]) -> Response:
    headers, not_modified = conditional(request, connection, "json")
    if not_modified:
        return not_modified
    groups = summarise(connection, query, group_by)
    return Response(
        json_bytes({"group_by": group_by, "groups": groups}),
        media_type="application/json",
        headers=headers,
    )


@router.get(
    "/timeline",
    tags=["milestones"],
    response_model=Timeline,
    operation_id="timeline",
    summary="What happened and what is due, period by period",
    description="Milestones in date order (earliest possible date, then id), grouped by month (or by "
    "quarter, year or school year when the text is no more precise than that). Takes the filters of "
    "/milestones. Paged like the collections: a page holds up to `limit` milestones, grouped by period, "
    "and `next_cursor` (or the Link header) gives the next. A period whose milestones fall on more than "
    "one page appears on each, with that page's share: merging the pages' periods of the same name, in "
    "page order, gives the timeline of one page holding everything.",
    responses={
        200: {"description": "One page of the timeline.", "headers": PAGE_HEADERS},
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(422, 503),
    },
)
async def timeline(request: Request, params: Annotated[TimelineQuery, Query()], connection: DbConnection) -> Response:
    query = ListRequest(
        filters=_filters(params, MILESTONES.filters),
        computed_filters=_filters(params, MILESTONES.computed_filters),
        q=params.q,
        sort="start",
        limit=params.limit,
        cursor=params.cursor,
    )
    return await run_query(connection, lambda c: _timeline(request, c, query))


def _timeline(request: Request, connection: Connection, query: ListRequest) -> Response:
    # Targets' outcomes are as of today.
    headers, not_modified = conditional(request, connection, f"json|{date.today()}")
    if not_modified:
        return not_modified
    page = QueryEngine(connection).page(MILESTONES, query)
    body = {"periods": group_by_period(page.items), "next_cursor": page.next_cursor}
    return Response(
        json_bytes(body),
        media_type="application/json",
        headers=next_page_headers(request, headers, page.next_cursor),
    )
