"""/initiatives, and one initiative's history"""

from dataclasses import replace
from datetime import date
from typing import Annotated, ClassVar

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlalchemy import Connection
from starlette.responses import Response

from app.api.collection import PAGE_HEADERS, KeyPath, add_collection
from app.api.deps import DbConnection, run_query
from app.api.entry_pages import ENTRY_CONTENT, Representation, entries_response
from app.api.params import CommaLists, Filters, KnownAt, SlugList, cursor_field, limit_field, renamed_field, slugs
from app.api.problems import problem_responses
from app.api.routing import DirectRoute
from app.api.schemas import HistoryEntry, Initiative, Page
from app.models.vocab import DueState, HistoryKind, InitiativeKind, InitiativeStatus
from app.query.engine import Page as QueryPage
from app.query.history import HistoryRequest, history
from app.query.resources import INITIATIVES

router = APIRouter(tags=["initiatives"], route_class=DirectRoute)


class InitiativeFilters(Filters):
    area: SlugList = slugs("Areas of co-operation (repeatable).", "healthcare")
    status: list[InitiativeStatus] = Field(
        default_factory=list, description="Status as the documents state it (as of `as_of`, when given)."
    )
    kind: list[InitiativeKind] = Field(default_factory=list, description="Kind of initiative.")
    organisation: SlugList = slugs("Lead or partner organisations.", "hksar-government")
    place: SlugList = slugs("Places the initiative concerns.", "nansha")
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    meeting: SlugList = slugs("Meetings whose document reports the initiative.", "24th-plenary")
    due_from: date | None = Field(
        None,
        description="Target due on or after this date: the deadline's *earliest* possible date must be on or after it.",
        examples=["2024-07-12"],
    )
    due_to: date | None = Field(
        None,
        description="Target due on or before this date: the deadline's *latest* possible date must be "
        "on or before it ('by the end of 2024' passes 2024-12-31, not 2024-11-30).",
        examples=["2024-12-31"],
    )
    due_after: date | None = renamed_field("due_from", "2024-07-12")
    due_before: date | None = renamed_field("due_to", "2024-12-31")

    renamed: ClassVar[dict[str, str]] = {"due_after": "due_from", "due_before": "due_to"}
    due_state: list[DueState] = Field(
        default_factory=list, description="State against the target in force as of `as_of` (default today)."
    )


add_collection(
    router,
    INITIATIVES,
    InitiativeFilters,
    Initiative,
    list_description="Commitments, schemes, programmes, institutions and plans. Filter by area, "
    "status, organisation, place and due window; `due_state` says which are overdue as of any date. "
    "`as_of` reads status and due window as they stood on a date, `known_at` as the register would have "
    "answered on a date.",
    example_key="san-tin-technopole-first-phase",
)


class HistoryQuery(CommaLists, Representation):
    kind: list[HistoryKind] = Field(
        default_factory=list,
        description="Kinds of entry (repeatable): `status`, `target_reached`, `target_superseded`, `target_missed`, "
        "`observation`. Default: every kind.",
    )
    as_of: date | None = Field(
        None,
        description="Only what took effect by this day (by each entry's `effective.on`), using every document; "
        "a target is missed as of this day if nothing seen reached it by then.",
        examples=["2025-06-30"],
    )
    known_at: KnownAt | None = Field(
        None,
        description="Only what documents published by this day said: the history as it stood then.",
        examples=["2025-06-30"],
    )
    limit: int = limit_field()
    cursor: str | None = cursor_field()


@router.get(
    "/initiatives/{key}/history",
    response_model=Page[HistoryEntry],
    summary="The history of one initiative",
    description="Everything the documents say about one initiative over time, in one chronological list (by "
    "effective date, then the document's date): `status` statements, each with `previous_status`, so a move "
    "backwards shows; `target_reached` (with `outcome` `met` or `met_late` against the target's latest possible "
    "date), `target_superseded` (a later document's new target, dated at that document), `target_missed` (a "
    "target whose latest possible date has come, by today or `as_of`/`known_at`, with nothing reaching it; "
    "dated at that day, citing the target's own words); and `observation`s of its figures. Look the "
    "initiative up by id or slug. Paged like the collections (`limit`, `cursor`, `Link`); CSV and NDJSON "
    "(`format`, or Accept) stream every entry, one column per field (`effective_on`, `milestone_slug`, ...).",
    operation_id="get_initiative_history",
    responses={
        200: {
            "description": "A page of the initiative's history (JSON), or all of it (CSV, NDJSON).",
            "content": ENTRY_CONTENT,
            "headers": PAGE_HEADERS,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **problem_responses(404, 422, 503),
    },
)
async def initiative_history(
    request: Request, key: KeyPath, params: Annotated[HistoryQuery, Query()], connection: DbConnection
) -> Response:
    query = HistoryRequest(
        kinds=tuple(params.kind),
        as_of=params.as_of,
        known_at=params.known_at,
        limit=params.limit,
        cursor=params.cursor,
    )
    return await run_query(connection, lambda c: _history(request, c, key, query, params))


def _history(
    request: Request, connection: Connection, key: str, query: HistoryRequest, params: HistoryQuery
) -> Response:
    def fetch(c: Connection, cursor: str | None, limit: int) -> QueryPage:
        return history(c, key, replace(query, cursor=cursor, limit=limit))

    return entries_response(
        request,
        connection,
        fetch,
        params=params,
        limit=query.limit,
        cursor=query.cursor,
        item_schema=HistoryEntry,
        filename=f"{key}-history",
        variant=str(query.today),  # which targets are missed depends on the day
    )
