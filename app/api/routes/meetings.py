"""/meetings, /documents (and a document's plain text)"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import Field
from sqlalchemy import select
from starlette.responses import Response

from app.api.caching import conditional
from app.api.collection import add_collection
from app.api.deps import DbConnection
from app.api.params import Filters, QueryText
from app.api.problems import problem_responses
from app.api.routing import DirectRoute
from app.api.schemas import Document, Meeting
from app.models import Document as DocumentRow
from app.query.errors import NotFound
from app.query.resources import DOCUMENTS, MEETINGS

meetings = APIRouter(tags=["meetings"], route_class=DirectRoute)
documents = APIRouter(tags=["documents"], route_class=DirectRoute)


class MeetingFilters(Filters):
    city: list[QueryText] = Field(default_factory=list, description="City held in.", examples=[["Guangzhou"]])
    held_from: date | None = Field(None, description="Held on or after.", examples=["2024-01-01"])
    held_to: date | None = Field(None, description="Held on or before.", examples=["2024-12-31"])


class DocumentFilters(Filters):
    published_from: date | None = Field(None, description="Published on or after.", examples=["2024-01-01"])
    published_to: date | None = Field(None, description="Published on or before.", examples=["2024-12-31"])


add_collection(
    meetings,
    MEETINGS,
    MeetingFilters,
    Meeting,
    example_key="24th-plenary",
    list_description="Plenaries and other meetings, with who took part in which role.",
)
add_collection(
    documents,
    DOCUMENTS,
    DocumentFilters,
    Document,
    example_key="24th-plenary-press-release",
    list_description="The source texts every fact is quoted from.",
)


@documents.get(
    "/documents/{slug}/text",
    summary="The full text of a document",
    description="Plain UTF-8 text; every quote's `start`/`end` are character offsets into it.",
    operation_id="get_document_text",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **problem_responses(404, 422),
    },
)
def document_text(
    request: Request,
    slug: Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)],
    connection: DbConnection,
) -> Response:
    headers, not_modified = conditional(request, connection, "text")
    if not_modified:
        return not_modified
    text = connection.execute(select(DocumentRow.text).where(DocumentRow.slug == slug)).scalar_one_or_none()
    if text is None:
        raise NotFound("document", slug)
    return Response(text, media_type="text/plain; charset=utf-8", headers=headers)
