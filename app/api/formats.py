"""Representations of a collection: JSON pages, and the whole filtered set streamed as
RFC 4180 CSV or NDJSON."""

import csv
import io
import typing
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

import orjson
from fastapi import Request
from pydantic import BaseModel

from app.csv_cell import csv_cell
from app.query.engine import flat_name
from app.query.errors import InvalidParameter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
NDJSON_MEDIA_TYPE = "application/x-ndjson"
JSON_MEDIA_TYPE = "application/json"
UTF8_BOM = "\ufeff"


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    NDJSON = "ndjson"


_ACCEPTED = {
    "text/csv": Format.CSV,
    "application/x-ndjson": Format.NDJSON,
    "application/json": Format.JSON,
}


def negotiate(request: Request, explicit: Format | None) -> Format:
    """`format=` wins; otherwise the first Accept type we serve; JSON by default."""
    if explicit is not None:
        return explicit
    for part in request.headers.get("accept", "").split(","):
        media_type = part.split(";")[0].strip().lower()
        if media_type in _ACCEPTED:
            return _ACCEPTED[media_type]
    return Format.JSON


def json_bytes(content: Any) -> bytes:
    return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def csv_lines(labels: list[str], rows: Iterable[dict[str, Any]], *, bom: bool = False) -> Iterator[str]:
    """RFC 4180: CRLF line ends, quotes doubled, a header row; flattened column names; each
    cell as the export writes it (app/csv_cell.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(UTF8_BOM)
    writer.writerow([flat_name(label) for label in labels])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row.values()])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def ndjson_lines(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for row in rows:
        yield orjson.dumps({flat_name(label): value for label, value in row.items()}) + b"\n"


def reject_bom_without_csv(fmt: Format, bom: bool) -> None:
    if bom and fmt is not Format.CSV:
        raise InvalidParameter("bom=true applies to CSV only.", parameter="bom")


def schema_labels(model: type[BaseModel]) -> list[str]:
    """The output labels of a nested schema, flattened as the collections' are ("a__b"): one
    column per leaf field, whether or not a given entry fills it."""
    labels: list[str] = []
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is None:
            labels.append(name)
        else:
            labels += [f"{name}__{label}" for label in schema_labels(nested)]
    return labels


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (`Model` or `Model | None`), or None for a plain value."""
    candidates = typing.get_args(annotation) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def flattened(entry: Mapping[str, Any], labels: Iterable[str]) -> dict[str, Any]:
    """A nested entry as one flat row of `labels` (null where a group is null)."""
    row: dict[str, Any] = {}
    for label in labels:
        value: Any = entry
        for part in label.split("__"):
            value = value.get(part) if value is not None else None
        row[label] = value
    return row
