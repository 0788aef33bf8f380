"""/search: ranked full-text hits across every resource, with highlighted snippets."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection
from starlette.responses import Response

from app.api.caching import conditional
from app.api.deps import DbConnection, run_query
from app.api.formats import json_bytes
from app.api.problems import problem_responses
from app.api.routing import DirectRoute
from app.api.schemas import Due
from app.models.vocab import (
    AgreementKind,
    DatePrecision,
    DateQualifier,
    DueState,
    InitiativeKind,
    InitiativeStatus,
    MetricQualifier,
    MetricUnit,
    MilestoneKind,
    MilestoneOutcome,
    UnitDimension,
)
from app.query import fulltext
from app.query.engine import QueryEngine

router = APIRouter(tags=["search"], route_class=DirectRoute)

Resource = Literal[
    "initiatives",
    "agreements",
    "metrics",
    "milestones",
    "areas",
    "organisations",
    "officials",
    "places",
    "meetings",
    "documents",
]


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(
        min_length=1,
        max_length=200,
        examples=["hydrogen"],
        description="Words (all must match; when none matches them all, any of them: see `matched`), "
        '"a phrase", prefix*, a OR b; English stemming.',
    )
    type: list[Resource] = Field(default_factory=list, description="Only these resources (repeatable).")
    limit: int = Field(20, ge=1, le=100, description="Most hits to return (1-100).", examples=[10])


class MetricPeriod(BaseModel):
    phrase: str | None = Field(description="The text's own words for the period; null: the document's date.")
    start: date
    end: date


class MetricFacts(BaseModel):
    """A figure: the answer to "how many?"."""

    value: float = Field(examples=[12000])
    previous_value: float | None = Field(description="For a reported change: the value before.")
    unit: MetricUnit
    unit_label: str = Field(examples=["vehicles per day"])
    unit_dimension: UnitDimension
    qualifier: MetricQualifier
    as_of: MetricPeriod
    quote: str = Field(description="The words of the text that give the figure.")


class MilestoneFacts(BaseModel):
    """A dated event or target: the answer to "when?"."""

    kind: MilestoneKind
    phrase: str = Field(examples=["by the end of 2024"])
    start: date = Field(description="Earliest possible date.")
    end: date | None = Field(description="Latest possible date; null when open-ended.")
    precision: DatePrecision
    qualifier: DateQualifier
    edtf: str
    outcome: MilestoneOutcome | None = Field(description="A target's outcome as of today; null for other kinds.")


class InitiativeFacts(BaseModel):
    """A commitment: the answer to "where does it stand?"."""

    kind: InitiativeKind
    status: InitiativeStatus
    due: Due
    due_state: DueState = Field(description="Against its target, as of today.")


class SignedOn(BaseModel):
    phrase: str | None
    start: date | None
    end: date | None


class AgreementFacts(BaseModel):
    kind: AgreementKind
    signed: SignedOn


class SearchHit(BaseModel):
    type: Resource
    id: int
    slug: str
    title: str
    snippet: str = Field(description="Matching text with <mark>...</mark> around matched words.")
    score: float = Field(description="Relevance; higher is better (comparable within one response).")
    url: str
    facts: MetricFacts | MilestoneFacts | InitiativeFacts | AgreementFacts | None = Field(
        description="What the record says, so the hit answers without another request: a metric's value, "
        "unit and qualifier; a milestone's dates and outcome; an initiative's status and due state; an "
        "agreement's kind and signing date. Null for other types."
    )


class SearchResults(BaseModel):
    items: list[SearchHit]
    matched: Literal["all", "any"] = Field(
        description="`all`: every hit matches every term of `q`. `any`: no record matched them all, so "
        "these hits match at least one term each (best first: those matching more, and rarer, terms).",
        examples=["all"],
    )
    ranked_matches: int = Field(
        description="How many matching entries were ranked to choose these hits: all of them, or for a "
        "very common term the most recently loaded SEARCH_RANK_WINDOW (default 5,000).",
        examples=[12],
    )
    ranking_complete: bool = Field(
        description="False when the window was full: the term matched at least that many entries and the "
        "hits are the best of the most recent ones, not necessarily of all; narrow the query (more words, "
        "a phrase, `type`) to rank every match.",
        examples=[True],
    )


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Search everything",
    operation_id="search",
    responses=problem_responses(422, 503),
    description="Ranked hits of every type, best first, each with a highlighted snippet and its facts "
    "(a figure's value and unit, a milestone's dates, an initiative's status and due state). All the "
    "words must match; when no record matches them all, the hits match any of them and `matched` says "
    'so (`"any"`). Ranking considers'
    " at most SEARCH_RANK_WINDOW matching entries (default 5,000, the most recently loaded); "
    "`ranking_complete` says whether every match was considered.",
)
async def search(request: Request, params: Annotated[SearchQuery, Query()], connection: DbConnection) -> Response:
    fulltext.parse(params.q)  # a malformed query is a 422 before anything else
    return await run_query(connection, lambda c: _search(request, c, params))


def _search(request: Request, connection: Connection, params: SearchQuery) -> Response:
    # Facts hold outcomes and due states as of today.
    headers, not_modified = conditional(request, connection, f"json|{date.today()}")
    if not_modified:
        return not_modified
    window = request.app.state.settings.search_rank_window
    answer = QueryEngine(connection).answer(params.q, list(params.type), params.limit, window)
    items = [
        {
            "type": hit["resource"],
            "id": hit["record_id"],
            "slug": hit["slug"],
            "title": hit["title"],
            "snippet": hit["snippet"],
            "score": round(float(hit["score"]), 6),
            "url": f"/{hit['resource']}/{hit['slug']}",
            "facts": hit["facts"],
        }
        for hit in answer.hits
    ]
    # With no hits, nothing was ranked; the window was reached only if `considered` hit it.
    body = {
        "items": items,
        "matched": answer.matched,
        "ranked_matches": answer.ranked_matches,
        "ranking_complete": answer.ranked_matches < window,
    }
    return Response(json_bytes(body), media_type="application/json", headers=headers)
