"""The paged lists that are not one table's collection (an initiative's history, the changes):
one implementation of their JSON page with its Link header, caching, and the whole list
streamed as CSV or NDJSON like every collection (columns from the item's schema)."""

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from starlette.responses import Response, StreamingResponse

from app.api import formats
from app.api.caching import conditional
from app.api.collection import next_page_headers
from app.api.formats import Format
from app.query.engine import Page

# A page of entries: (connection, cursor, limit) -> the page after `cursor`.
FetchPage = Callable[[Connection, str | None, int], Page]
STREAM_BATCH = 500  # entries read per query while a CSV or NDJSON body streams


class Representation(BaseModel):
    """`format` and `bom`, as every collection takes them."""

    format: Format | None = Field(
        None,
        description="Representation; also negotiable with Accept. CSV and NDJSON stream every entry.",
        examples=["csv"],
    )
    bom: bool = Field(
        False, description="CSV only: start with a UTF-8 byte order mark (for spreadsheets).", examples=[True]
    )


# The media types of a paged list's 200, for OpenAPI.
ENTRY_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}


def entries_response(
    request: Request,
    connection: Connection,
    fetch: FetchPage,
    *,
    params: Representation,
    limit: int,
    cursor: str | None,
    item_schema: type[BaseModel],
    filename: str,
    variant: str = "",
) -> Response:
    """One page as JSON (with `Link` to the next), or, as CSV or NDJSON, every entry from
    `cursor` on. `variant` is what else the body depends on (for the ETag)."""
    fmt = formats.negotiate(request, params.format)
    formats.reject_bom_without_csv(fmt, params.bom)
    headers, not_modified = conditional(request, connection, f"{fmt}|{variant}")
    if not_modified:
        return not_modified
    if fmt is Format.JSON:
        page = fetch(connection, cursor, limit)
        body = {"items": page.items, "next_cursor": page.next_cursor}
        headers = next_page_headers(request, headers, page.next_cursor)
        return Response(formats.json_bytes(body), media_type=formats.JSON_MEDIA_TYPE, headers=headers)
    # The first batch is read before the body starts, so a bad key or cursor is still a problem response.
    first = fetch(connection, cursor, STREAM_BATCH)
    labels = formats.schema_labels(item_schema)

    def rows() -> Iterator[dict[str, Any]]:
        page = first
        while True:
            for entry in page.items:
                yield formats.flattened(entry, labels)
            if not page.next_cursor:
                return
            page = fetch(connection, page.next_cursor, STREAM_BATCH)

    extension = "csv" if fmt is Format.CSV else "ndjson"
    headers = {**headers, "Content-Disposition": f'attachment; filename="{filename}.{extension}"'}
    if fmt is Format.CSV:
        lines = formats.csv_lines(labels, rows(), bom=params.bom)
        return StreamingResponse(lines, media_type=formats.CSV_MEDIA_TYPE, headers=headers)
    return StreamingResponse(formats.ndjson_lines(rows()), media_type=formats.NDJSON_MEDIA_TYPE, headers=headers)
