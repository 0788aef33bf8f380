"""/search: ranked full-text hits across every resource, with highlighted snippets."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from app.api.caching import data_revision, etag_for, matches
from app.api.collection import cache_headers
from app.api.deps import DbConnection
from app.api.formats import json_bytes
from app.api.problems import problem_responses
from app.query import fulltext

router = APIRouter(tags=["search"])

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
ALL_RESOURCES: list[str] = list(Resource.__args__)  # type: ignore[attr-defined]


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
def search(request: Request, params: Annotated[SearchQuery, Query()], connection: DbConnection) -> Response:
    query = fulltext.parse(params.q)
    etag = etag_for(request, data_revision(connection), "json")
    headers = cache_headers(etag, request.app.state.settings.cache_max_age_s)
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    statement = fulltext.FullText(connection.dialect.name).ranked_hits(
        query, list(params.type) or ALL_RESOURCES, params.limit
    )
    items = [
        {
            "type": row.resource,
            "id": row.record_id,
            "slug": row.slug,
            "title": row.title,
            "snippet": row.snippet,
            "score": round(float(row.score), 6),
            "url": f"/{row.resource}/{row.slug}",
        }
        for row in connection.execute(statement)
    ]
    return Response(json_bytes({"items": items}), media_type="application/json", headers=headers)
