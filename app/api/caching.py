"""HTTP caching: ETags derived from the data revision and the exact request, so a 304
costs one tiny query and no rendering."""

import hashlib

from fastapi import Request
from sqlalchemy import Connection
from starlette.responses import Response

from app.query.engine import QueryEngine


def data_revision(connection: Connection) -> str:
    return QueryEngine(connection).data_revision() or "empty"


def etag_for(request: Request, revision: str, variant: str) -> str:
    """A strong validator: same data, same URL, same representation -> same bytes.

    Read from the raw scope: building `request.url` cost more than the hash."""
    scope = request.scope
    return etag_of(revision, scope["path"], b"&".join(sorted(scope["query_string"].split(b"&"))), variant)


def etag_of(revision: str, path: str, sorted_query: bytes, variant: str) -> str:
    """The ETag of the response at `path` (query parameters sorted) in data revision `revision`:
    also what a PATCH's If-Match is compared with (app/api/routes/curate.py)."""
    key = b"|".join((revision.encode(), path.encode(), sorted_query, variant.encode()))
    return '"' + hashlib.sha256(key).hexdigest()[:32] + '"'


def matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates


def cache_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": f"public, max-age={max_age}", "Vary": "Accept"}


def conditional(request: Request, connection: Connection, variant: str) -> tuple[dict[str, str], Response | None]:
    """The caching headers for this response, and the 304 to send instead if the client's copy is current."""
    etag = etag_for(request, data_revision(connection), variant)
    headers = cache_headers(etag, request.app.state.settings.cache_max_age_s)
    return headers, Response(status_code=304, headers=headers) if matches(request, etag) else None
