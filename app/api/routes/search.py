"""/search: ranked full-text hits across every resource, with highlighted snippets."""

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
        description='Words (all must match), "a phrase", prefix*, a OR b; English stemming.',
    )
    type: list[Resource] = Field(default_factory=list, description="Only these resources (repeatable).")
    limit: int = Field(20, ge=1, le=100, description="Most hits to return (1-100).", examples=[10])


class SearchHit(BaseModel):
    type: Resource
    id: int
    slug: str
    title: str
    snippet: str = Field(description="Matching text with <mark>...</mark> around matched words.")
    score: float = Field(description="Relevance; higher is better (comparable within one response).")
    url: str


class SearchResults(BaseModel):
    items: list[SearchHit]
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
    description="Ranked hits of every type, best first, each with a highlighted snippet. Ranking "
    "considers at most SEARCH_RANK_WINDOW matching entries (default 5,000, the most recently loaded); "
    "`ranking_complete` says whether every match was considered.",
)
async def search(request: Request, params: Annotated[SearchQuery, Query()], connection: DbConnection) -> Response:
    fulltext.parse(params.q)  # a malformed query is a 422 before anything else
    return await run_query(connection, lambda c: _search(request, c, params))


def _search(request: Request, connection: Connection, params: SearchQuery) -> Response:
    headers, not_modified = conditional(request, connection, "json")
    if not_modified:
        return not_modified
    window = request.app.state.settings.search_rank_window
    hits, considered = QueryEngine(connection).search(params.q, list(params.type), params.limit, window)
    items = [
        {
            "type": hit["resource"],
            "id": hit["record_id"],
            "slug": hit["slug"],
            "title": hit["title"],
            "snippet": hit["snippet"],
            "score": round(float(hit["score"]), 6),
            "url": f"/{hit['resource']}/{hit['slug']}",
        }
        for hit in hits
    ]
    # With no hits, nothing was ranked; the window was reached only if `considered` hit it.
    body = {"items": items, "ranked_matches": considered, "ranking_complete": considered < window}
    return Response(json_bytes(body), media_type="application/json", headers=headers)
