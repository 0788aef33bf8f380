"""The framework's ceiling: bare FastAPI endpoints answering a constant 20-row list.

`/ceiling` is the leanest (async, pre-serialised with orjson); `/ceiling-idiomatic` is the
usual FastAPI way (a sync `def` returning the list, serialised by FastAPI)."""

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


@app.get("/ceiling")
async def ceiling() -> Response:
    return Response(orjson.dumps({"items": ROWS, "next_cursor": None}), media_type="application/json")


@app.get("/ceiling-idiomatic")
def ceiling_idiomatic() -> dict[str, object]:
    return {"items": ROWS, "next_cursor": None}
