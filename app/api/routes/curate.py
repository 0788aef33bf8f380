"""Writes through the API (scope `curate`), each with its evidence, and the statements they make.

Plain FastAPI routes (not DirectRoute: they need the key, a body and headers). The work of each is
one transaction (app/curation/transaction.py), run in a worker thread: a SQLite writer may wait for
another's lock, and must not hold up the event loop while it does."""

import asyncio
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from weakref import WeakKeyDictionary

import anyio
import orjson
from fastapi import APIRouter, Body, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.auth import Curator
from app.api.deps import DbConnection, run_query
from app.api.problems import RequestRefused, problem_responses
from app.api.routing import DirectRoute
from app.curation import operations
from app.curation.evidence import AlreadyRecorded, EvidenceRefused
from app.curation.keys import Caller
from app.curation.operations import PatchRefused, SeedRecord
from app.curation.requests import (
    NewAgreement,
    NewDocument,
    NewInitiative,
    NewMilestone,
    NewObservation,
    NewOfficial,
    NewOrganisation,
    NewPlace,
    NewStatus,
    NewTargetReached,
    Withdrawal,
)
from app.curation.transaction import Committed, Precondition, WriteRequest, Written, run_write
from app.loader.records import (
    AgreementRecord,
    InitiativeRecord,
    MetricRecord,
    MilestoneRecord,
    OfficialRecord,
    OrganisationRecord,
    PlaceRecord,
    StatusUpdateRecord,
    TargetReachedRecord,
)
from app.models import (
    Agreement,
    Initiative,
    Metric,
    MetricSeries,
    Milestone,
    Official,
    Organisation,
    Place,
    StatusStatement,
    TargetReached,
)

router = APIRouter(tags=["curation"])
reads = APIRouter(tags=["curation"], route_class=DirectRoute)  # public reads take the fast path too
KeyPath = Annotated[str, Path(description="Numeric id or slug.", examples=["building-technology-research-institute"])]
StatementId = Annotated[int, Path(description="The statement's id (`id` in the write's response).", ge=1, lt=2**31)]
WRITE_PROBLEMS = problem_responses(401, 403, 409, 413, 415, 422, 429, 503)


class Stored(BaseModel):
    """A record or statement as a write stored it."""

    type: str = Field(description="Its table.", examples=["status_statement"])
    id: int = Field(examples=[42])
    slug: str | None = Field(default=None, description="Its slug, for a record; null for a statement.")
    url: str = Field(description="Where the API serves it.", examples=["/status-statements/42"])
    recorded_by: str | None = Field(
        description="The name of the key that recorded it through the API; null for what the seed loaded.",
        examples=["alice"],
    )
    recorded_at: datetime | None = Field(examples=["2025-03-21T09:30:00+00:00"])
    record: dict[str, Any] = Field(description="Its stored columns (the audit's `after`).")


STORED_EXAMPLE = {
    "type": "status_statement",
    "id": 42,
    "slug": None,
    "url": "/status-statements/42",
    "recorded_by": "alice",
    "recorded_at": "2025-03-21T09:30:00+00:00",
    "record": {"id": 42, "status": "launched", "effective_edtf": "2025-03", "quote": "was set up in March 2025"},
}


class EvidenceProblem(RequestRefused):
    status = 422
    title = "Evidence refused"
    type_slug = "evidence-refused"


class Unpatchable(RequestRefused):
    status = 422
    title = "Fields a patch may not change"
    type_slug = "unpatchable-fields"


class Conflict(RequestRefused):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class PreconditionRequired(RequestRefused):
    status = 428
    title = "Precondition required"
    type_slug = "precondition-required"


class PreconditionFailed(RequestRefused):
    status = 412
    title = "Precondition failed"
    type_slug = "precondition-failed"


Work = Callable[[Session, datetime, Precondition], Written]


# Writes are serialised in the database anyway (app/curation/transaction.py): within a process they
# queue here, on the event loop, so that waiting writers hold neither a pool slot nor a thread
# that the reads need. One lock per event loop: asyncio primitives belong to the loop that made them.
_write_turns: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.Lock] = WeakKeyDictionary()


def _write_turn() -> anyio.Lock:
    loop = asyncio.get_running_loop()
    turn = _write_turns.get(loop)
    if turn is None:
        turn = _write_turns[loop] = anyio.Lock()
    return turn


async def commit(request: Request, caller: Caller, work: Work) -> Committed:
    """Run one write in its turn, with a pool slot, in a worker thread; domain refusals become problems."""
    write = WriteRequest(caller, request.method, request.url.path, getattr(request.state, "request_id", None))
    gate = request.app.state.pool_gate
    async with _write_turn():
        await gate.acquire()
        try:
            return await run_in_threadpool(_run, request.app.state.engine, write, work)
        finally:
            gate.release()


def _run(engine: Any, write: WriteRequest, work: Work) -> Committed:
    try:
        return run_write(engine, write, work)
    except EvidenceRefused as error:
        raise EvidenceProblem(
            "; ".join(error.problems)[:1000], errors=[{"name": "body", "detail": p[:300]} for p in error.problems]
        ) from error
    except PatchRefused as error:
        raise Unpatchable(str(error), errors=error.errors) from error
    except (AlreadyRecorded, SeedRecord) as error:
        raise Conflict(str(error)) from error
    except ValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from error
    except IntegrityError as error:  # a unique key taken by a write that committed first
        raise Conflict("The record conflicts with one recorded at the same time; read it and retry.") from error


def stored(written: Written) -> dict[str, Any]:
    after = written.after
    return {
        "type": written.record_type,
        "id": written.record_id,
        "slug": after.get("slug"),
        "url": written.location,
        "recorded_by": after.get("recorded_by"),
        "recorded_at": after.get("recorded_at"),
        "record": after,
    }


def _response(committed: Committed, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(stored(committed.written)),
        status_code=status,
        media_type="application/json",
        headers={"Location": committed.written.location, "Cache-Control": "no-store", **(headers or {})},
    )


def _responses(
    status: int, description: str, links: dict[str, Any] | None = None, *, keyed: bool = False
) -> dict[int | str, Any]:
    """The success (with its links) and problems of a write; `keyed`: its path names a record (a 404)."""
    success: dict[str, Any] = {
        "description": description,
        "model": Stored,
        "content": {"application/json": {"example": STORED_EXAMPLE}},
        "headers": {"Location": {"description": "Where the API serves it.", "schema": {"type": "string"}}},
    }
    if links:
        success["links"] = links
    return {status: success, **WRITE_PROBLEMS, **(problem_responses(404) if keyed else {})}


def _link(operation_id: str, parameter: str = "key", source: str = "$response.body#/slug") -> dict[str, Any]:
    return {operation_id: {"operationId": operation_id, "parameters": {parameter: source}}}


# -- documents ---------------------------------------------------------------------------------


@router.post(
    "/documents",
    status_code=201,
    summary="Record a document",
    description="A source text with its metadata (a department's announcement, a LegCo paper). Later writes cite "
    "it by slug, and their quotes are checked against its text as the seed's are. Needs a `curate` key.",
    operation_id="create_document",
    responses=_responses(201, "The document, recorded.", _link("get_document")),
)
async def create_document(request: Request, body: NewDocument, caller: Curator) -> Response:
    committed = await commit(request, caller, lambda s, now, _: operations.record_document(s, now, caller.name, body))
    return _response(committed, 201)


# -- statements about records already held -----------------------------------------------------


def _evidence(
    request: Request, caller: Caller, document: str, section: str, model: type, record: Callable[[Session], Any]
) -> Work:
    def work(session: Session, now: datetime, _: Precondition) -> Written:
        return operations.record_with_evidence(session, now, caller.name, document, section, record(session), model)

    return work


@router.post(
    "/initiatives/{key}/status",
    status_code=201,
    summary="Record a status statement",
    description="Where an initiative now stands, as a document says: `status`, `effective` (an ISO date, an EDTF "
    "string, or a phrase of the quote resolved against the document's date), the `document` and its verbatim "
    "`quote` (a 422 when the quote is not in the document, or the effective date is after it). The initiative's "
    "status, history and changes show it at once. Needs a `curate` key.",
    operation_id="create_status_statement",
    responses=_responses(
        201,
        "The statement, recorded.",
        {
            **_link("get_status_statement", "statement_id", "$response.body#/id"),
            **_link("withdraw_status_statement", "statement_id", "$response.body#/id"),
        },
        keyed=True,
    ),
)
async def create_status_statement(request: Request, key: KeyPath, body: NewStatus, caller: Curator) -> Response:
    def record(session: Session) -> StatusUpdateRecord:
        initiative = operations.find(session, Initiative, key, "initiative")
        return StatusUpdateRecord(initiative=initiative.slug, status=body.status, when=body.effective, quote=body.quote)

    work = _evidence(request, caller, body.document, "status_updates", StatusStatement, record)
    return _response(await commit(request, caller, work), 201)


@router.post(
    "/milestones/{key}/reached",
    status_code=201,
    summary="Record a target reached",
    description="That a target milestone was achieved, and when (`effective`, as for a status), quoting the "
    "document. Its outcome (`met`, `met_late`) follows from the target's dates. Needs a `curate` key.",
    operation_id="create_target_reached",
    responses=_responses(
        201,
        "The statement, recorded.",
        {
            **_link("get_target_reached", "statement_id", "$response.body#/id"),
            **_link("withdraw_target_reached", "statement_id", "$response.body#/id"),
        },
        keyed=True,
    ),
)
async def create_target_reached(request: Request, key: KeyPath, body: NewTargetReached, caller: Curator) -> Response:
    def record(session: Session) -> TargetReachedRecord:
        milestone = operations.find(session, Milestone, key, "milestone")
        return TargetReachedRecord(milestone=milestone.slug, when=body.effective, quote=body.quote)

    work = _evidence(request, caller, body.document, "targets_reached", TargetReached, record)
    return _response(await commit(request, caller, work), 201)


@router.post(
    "/metrics/series/{key}/observations",
    status_code=201,
    summary="Record a figure of a series",
    description="A new observation of a measure already followed (its unit, label and area are the series'), "
    "quoting the document; `as_of` is a date phrase of the quote or an ISO/EDTF date (default: the "
    "document's date). Needs a `curate` key.",
    operation_id="create_observation",
    responses=_responses(201, "The figure, recorded.", _link("get_metric"), keyed=True),
)
async def create_observation(request: Request, key: KeyPath, body: NewObservation, caller: Curator) -> Response:
    def record(session: Session) -> MetricRecord:
        series = operations.find(session, MetricSeries, key, "series")
        return MetricRecord(
            slug=body.slug,
            series=series.slug,
            label=body.label,
            value=Decimal(str(body.value)),
            previous_value=None if body.previous_value is None else Decimal(str(body.previous_value)),
            qualifier=body.qualifier,
            as_of=body.as_of,
            initiative=body.initiative,
            quote=body.quote,
        )

    work = _evidence(request, caller, body.document, "metrics", Metric, record)
    return _response(await commit(request, caller, work), 201)


# -- new records --------------------------------------------------------------------------------


def _add_record_route(
    path: str, body_model: type[BaseModel], record_model: type[BaseModel], section: str, model: type, noun: str
) -> None:
    @router.post(
        path,
        status_code=201,
        summary=f"Record a new {noun}",
        description=f"A {noun} first reported by a document, in the seed file's shape (docs/SEED_FORMAT.md, "
        f"`{section}`) plus the `document` quoted: the quotes are checked against its text, slugs it refers to "
        f"must exist, and its own slug must not. Needs a `curate` key.",
        operation_id=f"create_{model.__tablename__}",  # type: ignore[attr-defined]
        responses=_responses(
            201,
            f"The {noun}, recorded.",
            {**_link(f"get_{model.__tablename__}"), **_link(f"patch_{model.__tablename__}")},  # type: ignore[attr-defined]
        ),
    )
    async def create(request: Request, body: Annotated[body_model, Body()], caller: Curator) -> Response:  # type: ignore[valid-type]
        record = record_model.model_validate(body.model_dump(exclude={"document"}))  # type: ignore[attr-defined]
        work = _evidence(request, caller, body.document, section, model, lambda _: record)  # type: ignore[attr-defined]
        return _response(await commit(request, caller, work), 201)


for _path, _body, _record, _section, _model, _noun in (
    ("/initiatives", NewInitiative, InitiativeRecord, "initiatives", Initiative, "initiative"),
    ("/agreements", NewAgreement, AgreementRecord, "agreements", Agreement, "agreement"),
    ("/milestones", NewMilestone, MilestoneRecord, "milestones", Milestone, "milestone"),
    ("/organisations", NewOrganisation, OrganisationRecord, "organisations", Organisation, "organisation"),
    ("/places", NewPlace, PlaceRecord, "places", Place, "place"),
    ("/officials", NewOfficial, OfficialRecord, "officials", Official, "official"),
):
    _add_record_route(_path, _body, _record, _section, _model, _noun)


# -- withdrawals ----------------------------------------------------------------------------------


def _add_statement_routes(path: str, model: type, noun: str, operation: str) -> None:
    @router.delete(
        f"{path}/{{statement_id}}",
        summary=f"Withdraw a {noun}",
        description=f"Retract a {noun} recorded in error, with a `reason`. Nothing is deleted: the statement is kept, "
        "shown in the history as withdrawn (reason, by whom, when) and no longer counted. Needs a `curate` key.",
        operation_id=f"withdraw_{operation}",
        responses=_responses(200, "The statement, withdrawn.", keyed=True),
    )
    async def withdraw(request: Request, statement_id: StatementId, body: Withdrawal, caller: Curator) -> Response:
        def work(session: Session, now: datetime, _: Precondition) -> Written:
            return operations.withdraw(session, now, caller.name, model, str(statement_id), body.reason)

        return _response(await commit(request, caller, work), 200)

    @reads.get(
        f"{path}/{{statement_id}}",
        summary=f"Get a {noun}",
        description=f"A {noun} as stored: what it says, its quote and span, who recorded it through the API and "
        "when, and whether it was withdrawn.",
        operation_id=f"get_{operation}",
        response_model=Stored,
        responses={
            200: {"content": {"application/json": {"example": STORED_EXAMPLE}}},
            **problem_responses(404, 422, 503),
        },
    )
    async def read(statement_id: StatementId, connection: DbConnection) -> Response:
        def work(connection: Connection) -> dict[str, Any]:
            with Session(bind=connection) as session:
                row = operations.find(session, model, str(statement_id), path.strip("/"))
                return stored(operations.written(row, None))

        body = await run_query(connection, work)
        return Response(orjson.dumps(body), media_type="application/json", headers={"Cache-Control": "no-store"})


_add_statement_routes("/status-statements", StatusStatement, "status statement", "status_statement")
_add_statement_routes("/targets-reached", TargetReached, "target reached", "target_reached")
