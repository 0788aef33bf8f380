"""/metrics/summary and /timeline: answers for analysts, computed over the filtered set."""

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from starlette.responses import Response, StreamingResponse

from app.api import formats
from app.api.caching import conditional
from app.api.collection import PAGE_HEADERS, next_page_headers
from app.api.deps import DbConnection, run_query
from app.api.formats import Format, json_bytes
from app.api.params import check_filters, comma_choices, cursor_field, limit_field
from app.api.problems import problem_responses
from app.api.routes.metrics import MetricFilters
from app.api.routes.milestones import MilestoneFilters
from app.api.routing import DirectRoute
from app.api.schemas import Milestone
from app.api.table_schema import described_by
from app.models.vocab import MetricUnit, UnitDimension
from app.query.engine import ListRequest, QueryEngine
from app.query.errors import InvalidParameter
from app.query.resources import METRICS, MILESTONES
from app.query.summary import GROUPS, SUMMARY_COLUMNS, summarise, with_unit_words
from app.query.timeline import PERIOD_COLUMNS, PeriodLength, group_by_period, timeline_row

router = APIRouter(route_class=DirectRoute)
SEARCH = Field(
    None, min_length=1, max_length=200, description="Full-text search, as on the collections.", examples=["hydrogen"]
)


def format_field() -> Any:
    return Field(
        None,
        description="Representation; also negotiable with Accept. CSV and NDJSON give every row of the "
        "filtered set (a CSV links the Table Schema of its columns).",
    )


def bom_field() -> Any:
    return Field(False, description="CSV only: start with a UTF-8 byte order mark (for spreadsheets).", examples=[True])


class SummaryQuery(MetricFilters):
    group_by: Annotated[str, comma_choices("group_by", list(GROUPS))] = Field(
        "unit",
        description="Comma-separated: `area`, `unit`, `year` (of the as-of date). Without `unit`, "
        "the selected metrics must share one unit: sums across units are refused (422).",
        examples=["area,unit"],
    )
    q: str | None = SEARCH
    format: Format | None = format_field()
    bom: bool = bom_field()


class SummaryGroup(BaseModel):
    area: str | None = None
    year: int | None = None
    unit: MetricUnit
    unit_label: str = Field(description="The unit in words.", examples=["vehicles per day"])
    unit_dimension: UnitDimension = Field(description="What kind of quantity the unit measures.")
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


class TimelineFilters(MilestoneFilters):
    """What chooses a timeline's milestones, and pages them: for /timeline and its picture."""

    q: str | None = SEARCH
    limit: int = limit_field()
    cursor: str | None = cursor_field()


class TimelineQuery(TimelineFilters):
    period: PeriodLength = Field(
        PeriodLength.MONTH,
        description="Group by `month`, `quarter` or `year`. A milestone whose dates do not fit in one such "
        "period ('by the end of 2024', by month) is listed apart, in `less_precise`.",
        examples=["quarter"],
    )
    format: Format | None = format_field()
    bom: bool = bom_field()


# Their filters are their resources' (checked both ways, as every collection's are); the rest are their own controls.
SUMMARY_CONTROLS = frozenset({"group_by", "q", "format", "bom"})
TIMELINE_CONTROLS = frozenset({"period", "q", "limit", "cursor", "format", "bom"})
PICTURE_CONTROLS = frozenset({"q", "limit", "cursor"})
check_filters(METRICS, SummaryQuery, general=SUMMARY_CONTROLS)
check_filters(MILESTONES, TimelineQuery, general=TIMELINE_CONTROLS)
check_filters(MILESTONES, TimelineFilters, general=PICTURE_CONTROLS)


class TimelinePeriod(BaseModel):
    period: str = Field(description="'2024-07', '2024-Q3' or '2024', as `period` asks.", examples=["2024-07"])
    start: date = Field(description="The period's first day.")
    end: date = Field(description="The period's last day.")
    milestones: list[Milestone] = Field(description="Those whose whole interval lies in the period, in date order.")


class Timeline(BaseModel):
    periods: list[TimelinePeriod]
    less_precise: list[Milestone] = Field(
        description="Milestones (of this page) whose dates do not fit in one period, in date order: 'later "
        "this year' by month, 'from April 2023 to July 2024' by year."
    )
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


EXPORT_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}

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
* **CSV and NDJSON** give one row per group with every column (`area`, `year`, `unit`, `unit_label`,
  `unit_dimension`, `count`, `min`, `max`, `sum`, `sum_reason`), empty where not grouped by.
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
    responses={
        200: {
            "description": "The groups (JSON), or one row per group (CSV, NDJSON) with every group column, "
            "empty where not grouped by.",
            "content": EXPORT_CONTENT,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(422, 503),
    },
)
async def metrics_summary(
    request: Request, params: Annotated[SummaryQuery, Query()], connection: DbConnection
) -> Response:
    fmt = formats.negotiate(request, params.format)
    formats.reject_bom_without_csv(fmt, params.bom)
    group_by = list(dict.fromkeys(params.group_by.split(",")))
    query = ListRequest(filters=_filters(params, METRICS.filters), q=params.q)
    return await run_query(connection, lambda c: _summary(request, c, query, group_by, fmt, params.bom))


def _summary(
    request: Request, connection: Connection, query: ListRequest, group_by: list[str], fmt: Format, bom: bool
) -> Response:
    headers, not_modified = conditional(request, connection, str(fmt))
    if not_modified:
        return not_modified
    groups = [with_unit_words(group) for group in summarise(connection, query, group_by)]
    if fmt is Format.JSON:
        body = json_bytes({"group_by": group_by, "groups": groups})
        return Response(body, media_type=formats.JSON_MEDIA_TYPE, headers=headers)
    # Every column in every row, whatever the grouping: one Table Schema describes them all.
    rows = [{column: group.get(column) for column in SUMMARY_COLUMNS} for group in groups]
    return exported(request, "metrics_summary", SUMMARY_COLUMNS, iter(rows), fmt, bom, headers)


@router.get(
    "/timeline",
    tags=["milestones"],
    response_model=Timeline,
    operation_id="timeline",
    summary="What happened and what is due, period by period",
    description="Milestones in date order (earliest possible date, then id), grouped by `period` (`month`, "
    "`quarter` or `year`): each period with its own first and last day and the milestones whose whole "
    "interval lies in it. A milestone less precise than the period ('by the end of 2024', by month) is "
    "never put into a period it may not fall in: it is listed apart, in `less_precise`. Takes the filters "
    "of /milestones. Paged like the collections: a page holds up to `limit` milestones, and `next_cursor` "
    "(or the Link header) gives the next. A period whose milestones fall on more than one page appears on "
    "each, with that page's share: merging the pages' periods of the same name (and their `less_precise` "
    "lists), in page order, gives the timeline of one page holding everything. CSV and NDJSON give one row "
    "per milestone, led by its `period`, `period_start` and `period_end` (empty when less precise): the "
    "whole filtered set, or its first `limit` rows when `limit` is given.",
    responses={
        200: {
            "description": "One page of the timeline (JSON), or its rows (CSV, NDJSON).",
            "headers": PAGE_HEADERS,
            "content": EXPORT_CONTENT,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(422, 503),
    },
)
async def timeline(request: Request, params: Annotated[TimelineQuery, Query()], connection: DbConnection) -> Response:
    fmt = formats.negotiate(request, params.format)
    formats.reject_bom_without_csv(fmt, params.bom)
    query = timeline_request(params)
    export_limit = params.limit if "limit" in params.model_fields_set else None
    if fmt is not Format.JSON and params.cursor is not None:
        raise InvalidParameter(
            "cursor pages the JSON timeline; CSV and NDJSON give the whole filtered set (or its first `limit` rows).",
            parameter="cursor",
        )
    return await run_query(
        connection, lambda c: _timeline(request, c, query, params.period, fmt, params.bom, export_limit)
    )


def timeline_request(params: TimelineFilters) -> ListRequest:
    """The /milestones request a timeline (or its picture) reads: its filters, in date order."""
    return ListRequest(
        filters=_filters(params, MILESTONES.filters),
        computed_filters=_filters(params, MILESTONES.computed_filters),
        q=params.q,
        sort="start",
        limit=params.limit,
        cursor=params.cursor,
    )


def _timeline(
    request: Request,
    connection: Connection,
    query: ListRequest,
    period: PeriodLength,
    fmt: Format,
    bom: bool,
    export_limit: int | None,
) -> Response:
    # Targets' outcomes are as of today.
    headers, not_modified = conditional(request, connection, f"{fmt}|{date.today()}")
    if not_modified:
        return not_modified
    engine = QueryEngine(connection)
    if fmt is not Format.JSON:
        engine.page(MILESTONES, replace(query, limit=1))  # a bad request is a 422 before the body starts
        rows = (timeline_row(milestone, period) for milestone in engine.stream(MILESTONES, query))
        labels = [*PERIOD_COLUMNS, *MILESTONES.output_labels]
        return exported(request, "timeline", labels, islice(rows, export_limit), fmt, bom, headers)
    page = engine.page(MILESTONES, query)
    body = {**group_by_period(page.items, period), "next_cursor": page.next_cursor}
    return Response(
        json_bytes(body),
        media_type=formats.JSON_MEDIA_TYPE,
        headers=next_page_headers(request, headers, page.next_cursor),
    )


def exported(
    request: Request,
    name: str,
    labels: Sequence[str],
    rows: Iterator[dict[str, Any]],
    fmt: Format,
    bom: bool,
    headers: dict[str, str],
) -> Response:
    """Rows as a CSV download linking its Table Schema `name`, or as NDJSON."""
    if fmt is Format.CSV:
        headers = {
            **described_by(request, name, headers),
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        }
        return StreamingResponse(
            formats.csv_lines(list(labels), rows, bom=bom), media_type=formats.CSV_MEDIA_TYPE, headers=headers
        )
    headers = {**headers, "Content-Disposition": f'attachment; filename="{name}.ndjson"'}
    return StreamingResponse(formats.ndjson_lines(rows), media_type=formats.NDJSON_MEDIA_TYPE, headers=headers)
