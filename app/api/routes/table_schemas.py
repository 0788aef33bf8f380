"""/schemas/{name}.json: the Frictionless Table Schema each CSV response links as `describedby`."""

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from app.api.formats import json_bytes
from app.api.problems import problem_responses
from app.api.routing import DirectRoute
from app.api.table_schema import SCHEMA_MEDIA_TYPE, SCHEMA_NAMES, table_schema
from app.query.errors import NotFound

router = APIRouter(tags=["exports"], route_class=DirectRoute)

SCHEMA_EXAMPLE = {
    "title": "metrics summary (CSV: one row per group)",
    "fields": [{"name": "unit", "type": "string"}, {"name": "count", "type": "integer"}],
    "missingValues": [""],
}


@router.get(
    "/schemas/{name}.json",
    summary="The Table Schema of a CSV response",
    description="A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/) of the columns "
    "of a CSV response: each column's name, type (`integer`, `number`, `date`, `string`) and, for a coded "
    "column, its values. Every CSV response links its schema in a `Link: <...>; "
    'rel="describedby"` header. Names: ' + ", ".join(f"`{name}`" for name in SCHEMA_NAMES) + ".",
    operation_id="get_table_schema",
    response_class=Response,
    responses={
        200: {"content": {SCHEMA_MEDIA_TYPE: {"schema": {"type": "object"}, "example": SCHEMA_EXAMPLE}}},
        **problem_responses(404, 422),
    },
)
async def get_table_schema(
    name: Annotated[
        str,
        Path(description="The collection or view the CSV comes from.", pattern=r"^[a-z_]+$", max_length=40),
    ],
) -> Response:
    if name not in SCHEMA_NAMES:
        raise NotFound("table schema", name, f"No table schema {name!r}; there are: {', '.join(SCHEMA_NAMES)}.")
    return Response(json_bytes(table_schema(name)), media_type=SCHEMA_MEDIA_TYPE)
