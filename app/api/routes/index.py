"""/ : what the API holds, where its documentation is, and three questions to start with."""

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.api.formats import JSON_MEDIA_TYPE, json_bytes
from app.api.routing import DirectRoute

router = APIRouter(tags=["index"], route_class=DirectRoute)

# Three of the README's recipes, as a newcomer would ask them: the first lines of /docs and of /.
EXAMPLES: list[tuple[str, str]] = [
    (
        "Which commitments due by the end of 2024 were still not done at the end of 2024?",
        "/initiatives?due_to=2024-12-31&due_state=overdue&as_of=2025-01-01",
    ),
    ("What did the 24th Plenary say about ambulances, in any form of the word?", "/search?q=ambulances"),
    (
        "How many commitments per area and status (for a filter sidebar)?",
        "/initiatives?facets=area,status&count=exact&limit=1",
    ),
]


class Link(BaseModel):
    href: str = Field(examples=["/initiatives"])
    title: str = Field(examples=["List initiatives"])


class Index(BaseModel):
    title: str
    docs: str = Field(description="Swagger UI: every endpoint, tried in the browser.", examples=["/docs"])
    redoc: str = Field(description="The same reference, as one page.", examples=["/redoc"])
    openapi: str = Field(description="The OpenAPI document, for generating clients.", examples=["/openapi.json"])
    examples: list[Link] = Field(description="Questions to start with, each one request.")
    collections: list[Link] = Field(description="Every list the API answers (JSON, CSV and NDJSON).")


def collections(app: FastAPI) -> list[dict[str, str]]:
    """Every public documented GET operation without a path parameter (the lists, search and
    analyses), as the OpenAPI document gives them, in its order; not those that need a key (/audit)."""
    return [
        {"href": path + _required_example(operations["get"]), "title": operations["get"].get("summary", path)}
        for path, operations in app.openapi()["paths"].items()
        if "get" in operations
        and "{" not in path
        and not operations["get"].get("security")
        and not {"health", "index"} & set(operations["get"].get("tags", []))
    ]


def _required_example(operation: dict[str, Any]) -> str:
    """ "?q=hydrogen" for an operation that needs `q`: every link answers."""
    required = [
        f"{parameter['name']}={parameter['schema']['examples'][0]}"
        for parameter in operation.get("parameters", [])
        if parameter.get("required") and parameter["in"] == "query" and parameter["schema"].get("examples")
    ]
    return "?" + "&".join(required) if required else ""


def index_body(app: FastAPI) -> bytes:
    body: dict[str, Any] = {
        "title": app.title,
        "docs": "/docs",
        "redoc": "/redoc",
        "openapi": app.openapi_url,
        "examples": [{"href": href, "title": question} for question, href in EXAMPLES],
        "collections": collections(app),
    }
    return json_bytes(body)


@router.get(
    "/",
    response_model=Index,
    summary="What this API holds",
    operation_id="index",
    description="Links to the documentation (/docs, /redoc, /openapi.json), three questions to start with, "
    "and every collection.",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "title": "Hong Kong/Guangdong Co-operation Commitments",
                        "docs": "/docs",
                        "redoc": "/redoc",
                        "openapi": "/openapi.json",
                        "examples": [{"href": href, "title": question} for question, href in EXAMPLES[:1]],
                        "collections": [{"href": "/initiatives", "title": "List initiatives"}],
                    }
                }
            }
        }
    },
)
async def index(request: Request) -> Response:
    state = request.app.state
    if getattr(state, "index_body", None) is None:  # the routes are fixed once the app is made
        state.index_body = index_body(request.app)
    return Response(state.index_body, media_type=JSON_MEDIA_TYPE)
