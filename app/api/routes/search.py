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


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Search everything",
    operation_id="search",
    responses=problem_responses(422, 503),
    description="Ranked hits of every type, best first, each with a highlighted snippet.",
)
async def search(request: Request, params: Annotated[SearchQuery, Query()], connection: DbConnection) -> Response:
    fulltext.parse(params.q)  # a malformed query is a 422 before anything else
    return await run_query(connection, lambda c: _search(request, c, params))


def _search(request: Request, connection: Connection, params: SearchQuery) -> Response:
    headers, not_modified = conditional(request, connection, "json")
    if not_modified:
        return not_modified
    hits = QueryEngine(connection).search(params.q, list(params.type), params.limit)  # none: every type
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
    return Response(json_bytes({"items": items}), media_type="application/json", headers=headers)
