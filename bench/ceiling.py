"""The framework's ceiling: a bare FastAPI app answering a constant 20-row list."""

import orjson
from fastapi import FastAPI
from starlette.responses import Response

ROWS = [
    {
        "id": i,
        "slug": f"initiative-{i}",
        "title": f"Initiative number {i}",
        "kind": "scheme",
        "status": "launched",
        "area": {"id": 1, "slug": "healthcare", "name": "Healthcare"},
    }
    for i in range(20)
]

app = FastAPI()


@app.get("/initiatives")
async def initiatives() -> Response:
    return Response(orjson.dumps({"items": ROWS, "next_cursor": None}), media_type="application/json")
