"""The one place the generated OpenAPI document is refined: tags, parameter examples,
problem+json error responses and response examples (real records of the seed)."""

import json
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Any

from fastapi import FastAPI

from app.api.params import TEXT_PATTERN
from app.api.problems import PROBLEM_MEDIA_TYPE, Problem

# In the order people ask (Swagger UI and ReDoc list the operations so): a word to look up,
# the commitments, what is due, the figures, what was signed; then the directories.
TAGS: list[dict[str, str]] = [
    {"name": "search", "description": "Full-text search across everything: start here with a word."},
    {"name": "initiatives", "description": "What they committed to, and how far it has got."},
    {"name": "milestones", "description": "Every date: what happened and what is due."},
    {
        "name": "metrics",
        "description": "Every figure reported, normalised, as observations of series over time; also summarised.",
    },
    {"name": "agreements", "description": "What they signed."},
    {
        "name": "areas",
        "description": "Fields of co-operation (healthcare, financial services, ...).",
    },
    {
        "name": "organisations",
        "description": "Governments, departments, authorities, universities.",
    },
    {"name": "officials", "description": "Named people, their posts and their roles at meetings."},
    {"name": "places", "description": "Cities, districts and zones the initiatives concern."},
    {"name": "meetings", "description": "Plenaries of the Joint Conference and who took part."},
    {"name": "documents", "description": "The source texts every fact is quoted from."},
    {"name": "changes", "description": "What each document added or changed, as JSON and as an Atom feed."},
    {"name": "exports", "description": "The Table Schemas that type the columns of every CSV response."},
    {"name": "index", "description": "What the API holds, with links to its documentation."},
    {"name": "health", "description": "Liveness and readiness probes for load balancers."},
    {
        "name": "curation",
        "description": "Writes, with an API key of scope `curate`: documents, statements and records, each with "
        "its evidence; merge patches; withdrawals.",
    },
    {"name": "audit", "description": "Every write made through the API (an `admin` key)."},
]

EXAMPLE_REQUEST_ID = "0b6f3c1e9d2a4f7e8c5b1a2d3e4f5a6b"
# What each error status looks like; `instance` is filled in per operation.
PROBLEM_EXAMPLES: dict[int, dict[str, Any]] = {
    404: {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No initiative with id or slug 'no-such-initiative'.",
    },
    422: {
        "type": "/problems/unknown-value",
        "title": "Unknown value",
        "status": 422,
        "detail": "No area has the slug 'helthcare'. Did you mean healthcare?",
        "errors": [{"name": "area", "detail": "No area has the slug 'helthcare'. Did you mean healthcare?"}],
    },
    500: {
        "type": "/problems/internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred; it has been logged.",
    },
    503: {
        "type": "/problems/database-unavailable",
        "title": "Service unavailable",
        "status": 503,
        "detail": "The database is unavailable; retry shortly.",
    },
}


def install_openapi(app: FastAPI) -> None:
    """Build /openapi.json once, refined by `refine`."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def refine(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    _document_query_parameter(parameter, schemas)
            _document_problems(operation, path)
            _add_response_examples(operation)
    return document


def _document_query_parameter(parameter: dict[str, Any], schemas: dict[str, Any]) -> None:
    schema = parameter["schema"] = _without_null(parameter["schema"])
    if "description" not in parameter and "description" in schema:
        parameter["description"] = schema["description"]
    if schema.get("type") == "array" and schema.get("items", {}).get("pattern") != TEXT_PATTERN:
        parameter["description"] = (
            f"{parameter.get('description') or ''} Several values: repeat the parameter, or separate them with commas."
        ).strip()
    if "examples" not in schema:
        example = _vocabulary_example(schema, schemas)
        if example is not None:
            schema["examples"] = [example]
    # Shown as text, not as a parameter-level `example`: Swagger UI would pre-fill every
    # example into "Try it out", and all of them together filter the list down to nothing.
    if "examples" in schema and "Example:" not in (parameter.get("description") or ""):
        example = schema["examples"][0]
        shown = example[0] if isinstance(example, list) else example
        parameter["description"] = f"{parameter.get('description') or ''} Example: `{_text(shown)}`.".strip()


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None` is how pydantic says "optional"; a query parameter is simply absent."""
    options = schema.get("anyOf")
    if not options:
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) != 1 or len(kept) == len(options):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if rest.get("default", 0) is None:
        del rest["default"]
    return {**kept[0], **rest}


def _vocabulary_example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """The first value of a closed vocabulary (inline or referenced), for one or a list."""
    if schema.get("type") == "array":
        item = _vocabulary_example(schema.get("items", {}), schemas)
        return None if item is None else [item]
    if "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if schema.get("enum"):
        return schema["enum"][0]
    return None


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _document_problems(operation: dict[str, Any], path: str) -> None:
    responses = operation.setdefault("responses", {})
    responses.setdefault("500", {"description": HTTPStatus(500).phrase})
    for status, response in responses.items():
        code = int(status) if status.isdigit() else 0
        if code < 400:
            continue
        example = {
            **PROBLEM_EXAMPLES.get(code, {"type": "about:blank", "title": HTTPStatus(code).phrase, "status": code}),
            "instance": path,
            "request_id": EXAMPLE_REQUEST_ID,
        }
        # Errors are only ever problem+json, whatever FastAPI infers from `model=`.
        response["content"] = {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example,
            }
        }


def _add_response_examples(operation: dict[str, Any]) -> None:
    examples = response_examples().get(operation.get("operationId", ""), {})
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    for media_type, example in examples.items():
        if media_type in content:
            content[media_type]["example"] = example


@cache
def response_examples() -> dict[str, dict[str, Any]]:
    """operationId -> media type -> example body, from openapi_examples.json."""
    text = resources.files("app.api").joinpath("openapi_examples.json").read_text(encoding="utf-8")
    examples: dict[str, dict[str, Any]] = json.loads(text)
    return examples
