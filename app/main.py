"""create_app(): middleware, routers and error handlers; nothing else."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from app.api.auth import FailedAuthLimiter
from app.api.docs import install_docs
from app.api.limits import RequestLimits
from app.api.openapi import TAGS, install_openapi
from app.api.pool_gate import PoolGate
from app.api.problems import install_problem_handlers, problem_responses
from app.api.request_context import RequestContext
from app.api.routes import (
    agreements,
    analysis,
    audit,
    changes,
    charts,
    curate,
    directory,
    health,
    index,
    initiatives,
    meetings,
    metrics,
    milestones,
    patches,
    search,
    table_schemas,
)
from app.api.routing import build_routes
from app.api.same_answer import SameAnswer
from app.api.security_headers import SecurityHeaders
from app.api.write_bodies import WriteBodies
from app.db.engine import make_engine
from app.logs import configure_logging
from app.settings import Settings, get_settings

DESCRIPTION = (
    "**Try a question** (each link is one request):\n\n"
    + "".join(f"{number}. [{question}]({href})\n" for number, (question, href) in enumerate(index.EXAMPLES, 1))
    + """
Don't know a record's slug? **[Search](#/search/search)** for a word first:
[/search?q=hydrogen](/search?q=hydrogen).

The commitments the governments of Hong Kong and Guangdong made, agreed and reported at
their co-operation Joint Conference, every fact traceable to a verbatim quote of the source.

* Collections take typed filters, `sort`, `limit` and an opaque keyset `cursor` (the next
  page is also in the RFC 8288 `Link` header); `count=exact` adds a total.
* Every collection answers JSON, CSV (`format=csv` or `Accept: text/csv`) and NDJSON.
* Errors are RFC 9457 `application/problem+json`.
* Responses carry an `ETag`; send it back in `If-None-Match` for a 304.
* Date ranges are `<date>_from` and `<date>_to`, both inclusive; repeatable filters take
  `a,b` as well as `x=a&x=b`; `as_of` defaults to today's date on the server.
* A mistake is a 422 saying what to do: a mistyped slug or parameter gets the closest ones.
* Reads are public. Writes (curators recording documents, statements and records, each with its
  evidence) need an API key, `Authorization: Bearer <key>` (Swagger UI: **Authorize**); every
  write is in the audit trail. See docs/CURATING.md.
"""
)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Hong Kong/Guangdong Co-operation Commitments",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # app/api/docs.py serves /docs and /redoc without a CDN
        redoc_url=None,
        openapi_tags=TAGS,
        # No app-level dependencies: DirectRoute (app/api/routing.py) refuses them.
        # Any request can meet the limits on its head (app/api/limits.py).
        responses=problem_responses(414, 431),
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings)
    # One gate per app, sized like the pool, made with the app as the engine is: no request builds it.
    app.state.pool_gate = PoolGate(settings.db_pool_size + settings.db_max_overflow, settings.db_pool_timeout_s)
    app.state.auth_limiter = FailedAuthLimiter(settings.auth_failure_limit, settings.auth_failure_window_s)
    install_problem_handlers(app)
    # Routes are tried in this order: the collections first. /docs lists them in TAGS' order.
    for router in (
        analysis.router,  # before the collections: /metrics/summary is not /metrics/{key}
        charts.router,  # before them too: /metrics/series/{key}.svg is not /metrics/series/{key}
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
        changes.router,
        search.router,
        table_schemas.router,
        health.router,
        index.router,
        curate.reads,
        curate.router,  # writes: plain routes (they need the key, a body, headers)
        patches.router,
        audit.router,
    ):
        app.include_router(router)
    install_docs(app)
    install_openapi(app)
    build_routes(app)  # now: a route that cannot be served stops the app here, not at a request
    _add_middleware(app, settings)
    return app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """All pure ASGI. The last added runs first: every request gets its id and log line, then
    its security headers and CORS, the limits refuse an oversized head, write bodies are checked,
    and HEAD and a trailing slash are answered as GET and the path without it."""
    app.add_middleware(SameAnswer)
    app.add_middleware(WriteBodies, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(RequestLimits, max_url_bytes=settings.max_url_bytes, max_header_bytes=settings.max_header_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_allow_origins,
        allow_methods=["GET", "HEAD"],
        allow_headers=["Accept", "If-None-Match", "X-Request-ID"],
        expose_headers=["ETag", "Link", "Retry-After", "X-Request-ID", "Content-Disposition"],
        max_age=600,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContext)
