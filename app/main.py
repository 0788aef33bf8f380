"""create_app(): middleware, routers and error handlers; nothing else."""

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from app.api.problems import Problem, install_problem_handlers
from app.api.routes import (
    agreements,
    analysis,
    directory,
    health,
    initiatives,
    meetings,
    metrics,
    milestones,
    search,
)
from app.db.engine import make_engine
from app.settings import Settings, get_settings

DESCRIPTION = """
The commitments the governments of Hong Kong and Guangdong made, agreed and reported at
their co-operation Joint Conference, every fact traceable to a verbatim quote of the source.

* Collections take typed filters, `sort`, `limit` and an opaque keyset `cursor` (the next
  page is also in the RFC 8288 `Link` header); `count=exact` adds a total.
* Every collection answers JSON, CSV (`format=csv` or `Accept: text/csv`) and NDJSON.
* Errors are RFC 9457 `application/problem+json`.
* Responses carry an `ETag`; send it back in `If-None-Match` for a 304.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Hong Kong/Guangdong Co-operation Commitments",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=[
            {
                "name": "initiatives",
                "description": "What they committed to, and how far it has got.",
            },
            {"name": "agreements", "description": "What they signed."},
            {"name": "metrics", "description": "Every figure reported."},
            {"name": "milestones", "description": "Every date: what happened and what is due."},
            {"name": "search", "description": "Full-text search across everything."},
        ],
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings)
    install_problem_handlers(app)
    for router in (
        analysis.router,  # before the collections: /metrics/summary is not /metrics/{key}
        initiatives.router,
        agreements.router,
        metrics.router,
        milestones.router,
        directory.areas,
        directory.organisations,
        directory.officials,
        directory.places,
        meetings.meetings,
        meetings.documents,
        search.router,
        health.router,
    ):
        app.include_router(router)
    _register_problem_schema(app)
    return app


def _register_problem_schema(app: FastAPI) -> None:
    """Make sure components/schemas/Problem exists for the problem+json responses."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
