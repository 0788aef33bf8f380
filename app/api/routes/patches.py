"""PATCH of a record's descriptive fields: JSON Merge Patch (RFC 7396) with If-Match.

If-Match is the ETag of the record's GET (JSON, no query parameters), compared under the write
lock: the one ETag any write changes, so a patch made on a stale read is a 412, never a lost update."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.api.auth import Curator
from app.api.caching import etag_of
from app.api.problems import problem_responses
from app.api.routes.curate import (
    KeyPath,
    PreconditionFailed,
    PreconditionRequired,
    Unpatchable,
    _response,
    _responses,
    commit,
)
from app.curation import operations
from app.curation.requests import (
    AgreementPatch,
    InitiativePatch,
    MilestonePatch,
    OfficialPatch,
    OrganisationPatch,
    PlacePatch,
)
from app.curation.transaction import Precondition, Written
from app.models import Agreement, Initiative, Milestone, Official, Organisation, Place
from app.query.resources import RESOURCES
from app.query.spec import ResourceSpec

router = APIRouter(tags=["curation"])
MERGE_PATCH = "application/merge-patch+json"


def _matches(if_match: str, etag: str) -> bool:
    """Strong comparison (RFC 9110 13.1.1): a weak tag never matches; `*` matches an existing record."""
    tags = {tag.strip() for tag in if_match.split(",")}
    return "*" in tags or etag in tags


def _variant(spec: ResourceSpec) -> str:
    """The variant the record's GET hashes into its ETag (app/api/collection.py `_detail`)."""
    return f"json|{date.today() if spec.reads_a_date else ''}"


def _shown(schema_fields: set[str]) -> set[str]:
    return schema_fields | {"id", "slug", "document", "quote", "source", "recorded_by", "recorded_at"}


def _add_patch_route(resource: str, model: type, fields: type[BaseModel], shown: set[str]) -> None:
    spec = RESOURCES[resource]
    noun = spec.singular

    @router.patch(
        f"/{resource}/{{key}}",
        summary=f"Change a {noun}'s descriptive fields",
        description=f"JSON Merge Patch (RFC 7396, `{MERGE_PATCH}`) of the fields "
        f"{', '.join(f'`{name}`' for name in fields.model_fields)} of a {noun} recorded through the API (one the "
        "seed loaded is corrected in its seed file: a 409). `If-Match` must carry the ETag of its GET (a 428 "
        "without, a 412 when another write came first); other fields are a 422 (read-only: id, slug, its "
        "source; or unknown). The response carries the new ETag. Needs a `curate` key.",
        operation_id=f"patch_{spec.singular}",
        responses={**_responses(200, f"The {noun}, changed.", keyed=True), **problem_responses(412, 428)},
    )
    async def patch(
        request: Request,
        key: KeyPath,
        body: Annotated[
            dict[str, Any], Body(media_type=MERGE_PATCH, examples=[{next(iter(fields.model_fields)): "…"}])
        ],
        caller: Curator,
        if_match: Annotated[
            str | None, Header(description="The ETag of the record's GET, as read before changing it.")
        ] = None,
    ) -> Response:
        if if_match is None:
            raise PreconditionRequired(f"A PATCH needs If-Match: the ETag of GET {request.url.path}.")
        try:
            operations.check_patch(body, fields, shown)
        except operations.PatchRefused as error:
            raise Unpatchable(str(error), errors=error.errors) from error
        path = request.url.path

        def work(session: Session, now: datetime, precondition: Precondition) -> Written:
            if not _matches(if_match, etag_of(precondition.revision, path, b"", _variant(spec))):
                raise PreconditionFailed(f"The {noun} changed since it was read: GET it again, then patch.")
            return operations.merge_patch(session, model, key, fields, body)

        committed = await commit(request, caller, work)
        etag = etag_of(committed.revision, path, b"", _variant(spec))
        return _response(committed, 200, {"ETag": etag})


for _resource, _model, _fields in (
    ("initiatives", Initiative, InitiativePatch),
    ("agreements", Agreement, AgreementPatch),
    ("organisations", Organisation, OrganisationPatch),
    ("places", Place, PlacePatch),
    ("officials", Official, OfficialPatch),
    ("milestones", Milestone, MilestonePatch),
):
    _add_patch_route(_resource, _model, _fields, _shown({c.key for c in _model.__table__.columns}))
