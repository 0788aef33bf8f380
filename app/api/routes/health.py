"""/healthz (the process is up) and /readyz (the database answers)."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from starlette.responses import Response

from app.api.deps import DbConnection
from app.api.formats import json_bytes
from app.api.problems import problem_responses
from app.api.routing import DirectRoute

router = APIRouter(tags=["health"], route_class=DirectRoute)


class Health(BaseModel):
    status: str


@router.get(
    "/healthz",
    response_model=Health,
    summary="Liveness",
    operation_id="healthz",
    description="200 while the process runs, whatever the database's state.",
)
def healthz() -> Response:
    return Response(json_bytes({"status": "ok"}), media_type="application/json")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness",
    operation_id="readyz",
    description="200 when the database answers a query; a 503 problem otherwise.",
    responses=problem_responses(503),
)
def readyz(connection: DbConnection) -> Response:
    # Through the same pool gate as every request: a saturated pool is not ready either.
    connection.execute(text("SELECT 1"))
    return Response(json_bytes({"status": "ready"}), media_type="application/json")
