"""HTTP caching: ETags derived from the data revision and the exact request, so a 304
costs one tiny query and no rendering."""

import hashlib

from fastapi import Request
from sqlalchemy import Connection

from app.query.engine import QueryEngine


def data_revision(connection: Connection) -> str:
    return QueryEngine(connection).data_revision() or "empty"


def etag_for(request: Request, revision: str, variant: str) -> str:
    """A strong validator: same data, same URL, same representation -> same bytes."""
    query = "&".join(sorted(request.url.query.split("&")))
    key = f"{revision}|{request.url.path}|{query}|{variant}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates
