"""GET /audit: every write made through the API, newest first (scope `admin`)."""

from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.auth import Administrator
from app.api.params import limit_field
from app.api.problems import problem_responses
from app.models import AuditEntry

router = APIRouter(tags=["audit"])


class KeyRef(BaseModel):
    name: str = Field(examples=["alice"])
    prefix: str = Field(description="The key's public prefix (never the key).", examples=["3f9a0c12b4d7"])


class AuditRecordRef(BaseModel):
    type: str = Field(examples=["status_statement"])
    id: int = Field(examples=[42])


class AuditItem(BaseModel):
    id: int
    recorded_at: datetime
    key: KeyRef
    method: str = Field(examples=["POST"])
    path: str = Field(examples=["/initiatives/building-technology-research-institute/status"])
    request_id: str | None = None
    record: AuditRecordRef
    before: dict[str, Any] | None = Field(default=None, description="The record before the write; null for a new one.")
    after: dict[str, Any] = Field(description="The record after it.")


class AuditPage(BaseModel):
    items: list[AuditItem]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for older entries; null on the last page."
    )


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(None, description="Only the writes of the key with this name.", examples=["alice"])
    limit: int = limit_field()
    cursor: str | None = Field(
        None, pattern=r"^[0-9]{1,10}$", description="From a previous page's `next_cursor`: older entries."
    )


AUDIT_EXAMPLE = {
    "items": [
        {
            "id": 1,
            "recorded_at": "2025-03-21T09:30:00+00:00",
            "key": {"name": "alice", "prefix": "3f9a0c12b4d7"},
            "method": "POST",
            "path": "/initiatives/building-technology-research-institute/status",
            "request_id": "0b6f3c1e9d2a4f7e8c5b1a2d3e4f5a6b",
            "record": {"type": "status_statement", "id": 42},
            "before": None,
            "after": {"id": 42, "status": "launched"},
        }
    ],
    "next_cursor": None,
}


@router.get(
    "/audit",
    summary="The audit trail of writes",
    description="Every write made through the API, newest first: the key (name and public prefix), when, the "
    "method, path and request id, and the record before and after. Append-only: no endpoint changes it, and "
    "the database itself refuses UPDATE and DELETE on it. Needs an `admin` key.",
    operation_id="list_audit",
    response_model=AuditPage,
    responses={
        200: {"content": {"application/json": {"example": AUDIT_EXAMPLE}}},
        **problem_responses(401, 403, 422, 429, 503),
    },
)
async def list_audit(request: Request, params: Annotated[AuditQuery, Query()], caller: Administrator) -> Response:
    def read() -> dict[str, Any]:
        statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(params.limit + 1)
        if params.key is not None:
            statement = statement.where(AuditEntry.key_name == params.key)
        if params.cursor is not None:
            statement = statement.where(AuditEntry.id < int(params.cursor))
        with Session(request.app.state.engine) as session:
            rows = session.scalars(statement).all()
        items = [_item(row) for row in rows[: params.limit]]
        more = len(rows) > params.limit
        return {"items": items, "next_cursor": str(items[-1]["id"]) if more else None}

    body = await run_in_threadpool(read)
    return Response(orjson.dumps(body), media_type="application/json", headers={"Cache-Control": "no-store"})


def _item(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "recorded_at": row.recorded_at,
        "key": {"name": row.key_name, "prefix": row.key_prefix},
        "method": row.method,
        "path": row.path,
        "request_id": row.request_id,
        "record": {"type": row.record_type, "id": row.record_id},
        "before": None if row.before is None else orjson.loads(row.before),
        "after": orjson.loads(row.after) if row.after else {},
    }
