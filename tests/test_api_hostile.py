"""Hostile input on every parameter of every operation (listed from the OpenAPI document):
each answer is a correct 200 or a 4xx RFC 9457 problem, never a 5xx, never internals."""

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest

from app.main import create_app
from app.query.cursor import filters_digest
from app.settings import Settings
from tests.conftest import Api
from tests.helpers import PROBLEM

OPENAPI = create_app(Settings(database_url="sqlite://")).openapi()
OPERATIONS = [
    (path, operation)
    for path, methods in OPENAPI["paths"].items()
    for method, operation in methods.items()
    if method == "get"
]


def _signed(payload: bytes) -> str:
    """A cursor with a valid signature: the key is in the public source, so anyone can make one."""
    mac = hmac.new(b"hkgd-coop-cursor-v1", payload, hashlib.sha256).digest()[:8]
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def _tampered(cursor: str) -> str:
    """The cursor with one character of its signature changed."""
    return ("A" if cursor[0] != "A" else "B") + cursor[1:]


# The scope of a cursor of /initiatives with no filters, by id and by title (app/query/cursor.py).
_UNFILTERED = filters_digest({}, {}, None, None, None).encode()
BY_ID = b'[["initiatives","id","' + _UNFILTERED + b'"]'
BY_TITLE = b'[["initiatives","title,id","' + _UNFILTERED + b'"]'

NASTY: dict[str, str] = {
    "sql-quote": "' OR '1'='1",
    "sql-comment": "1; DROP TABLE initiative; --",
    "sql-block-comment": "1/**/UNION/**/SELECT/**/password/**/FROM/**/pg_shadow",
    "sql-like-wildcards": "%_%",
    "nul": "\x00",
    "nul-inside": "health\x00care",
    "control-characters": "\x01\x07\x1b[31m\r\n\t",
    "del": "\x7f",
    "4kB": "a" * 4096,
    "10kB": "b" * 10240,
    "huge-number": "9" * 40,
    "int64-overflow": "9223372036854775808",
    "negative": "-1",
    "huge-negative": "-" + "9" * 40,
    "float-overflow": "1e999",
    "nan": "NaN",
    "infinity": "-Infinity",
    "zero": "0",
    "empty": "",
    "whitespace": "   ",
    "non-ascii": "粵港澳大灣區",
    "right-to-left": "\u202eevil\u202c مرحبا",
    "emoji": "🀄\ufe0f",
    "invalid-date": "2024-02-30",
    "date-year-zero": "0000-01-01",
    "date-far-future": "99999-12-31",
    "date-with-time": "2024-07-12T25:61:61",
    "double-encoded": "%2527",
    "path-traversal": "../../etc/passwd",
    "html": "<script>alert(1)</script>",
    "json": '{"$ne": null}',
    "forged-cursor-wrong-shape": _signed(b'["id"]'),
    "forged-cursor-wrong-scope": _signed(b'[["initiatives","id"],[1]]'),
    "forged-cursor-wrong-type": _signed(BY_ID + b',["one"]]'),
    "forged-cursor-huge-int": _signed(BY_ID + b",[99999999999999999999]]"),
    "forged-cursor-nul": _signed(BY_TITLE + b',["\\u0000",1]]'),
    "truncated-cursor": _signed(BY_ID + b",[1]]")[:7],
    "tampered-cursor": _tampered(_signed(BY_ID + b",[1]]")),
}


def _base(operation: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Valid values for the required parameters, so the hostile one is what gets judged."""
    path: dict[str, str] = {}
    query: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path[parameter["name"]] = "24th-plenary-press-release" if parameter["name"] == "slug" else "1"
        elif parameter.get("required"):
            query[parameter["name"]] = str(parameter["schema"].get("examples", ["hydrogen"])[0])
    return path, query


def _url(template: str, path: dict[str, str]) -> str:
    for name, value in path.items():
        template = template.replace("{" + name + "}", quote(value, safe=""))
    return template


def _judge(response: httpx.Response, label: str) -> str | None:
    """None if the answer is acceptable, else what is wrong with it."""
    body = response.text
    for leak in ("Traceback", 'File "/', "sqlalchemy", "psycopg", "SELECT ", "/work/", "site-packages"):
        if leak in body:
            return f"{label}: {response.status_code} leaks {leak!r}"
    status = response.status_code
    if status >= 500:
        return f"{label}: {status} {body[:200]}"
    content_type = response.headers.get("content-type", "")
    if status >= 400:
        if content_type != PROBLEM:
            return f"{label}: {status} with content-type {content_type!r}"
        problem = response.json()
        if problem.get("status") != status or not {"type", "title", "detail", "instance"} <= problem.keys():
            return f"{label}: {status} is not an RFC 9457 problem: {body[:200]}"
        return None
    if status == 307 and response.headers.get("location"):  # "/initiatives/" redirects to "/initiatives"
        return None
    if status != 200:
        return f"{label}: unexpected {status}"
    if content_type.startswith("application/json"):
        orjson.loads(response.content)
    return None


@pytest.mark.slow  # every hostile value in every parameter of every operation
@pytest.mark.parametrize(("path", "operation"), OPERATIONS, ids=[f"GET {p}" for p, _ in OPERATIONS])
def test_hostile_values_in_every_parameter_are_refused_or_answered(api: Api, path: str, operation: dict) -> None:
    base_path, base_query = _base(operation)
    failures = []
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        for label, value in NASTY.items():
            if where == "path":
                response = api.get(_url(path, {**base_path, name: value}), params=base_query)
            else:
                response = api.get(_url(path, base_path), params={**base_query, name: value})
            failures.append(_judge(response, f"{name}={label}"))
        if where == "query":
            repeated = [*base_query.items(), (name, "1"), (name, "2")]
            failures.append(_judge(api.get(_url(path, base_path), params=repeated), f"{name} repeated"))
    problems = [failure for failure in failures if failure]
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize(
    "raw_query",
    ["q=%FF%FE", "q=%", "q=%ZZ", "%00=1", "limit=1&&&&limit", "area[]=healthcare", "=", "&", "q=a+b%20c"],
)
def test_malformed_query_strings_are_refused_or_answered(api: Api, raw_query: str) -> None:
    for path in ("/initiatives", "/search"):
        response = api.get(f"{path}?{raw_query}")
        assert _judge(response, f"{path}?{raw_query}") is None


def test_the_forged_cursors_are_signed_as_the_server_signs(api: Api) -> None:
    """The control for the next test: without it, a forged cursor could be refused only for
    its signature, and the checks of its shape would go untested."""
    assert api.get("/initiatives", params={"limit": 1}).json()["next_cursor"] == _signed(BY_ID + b",[1]]")
    assert api.get("/initiatives", params={"cursor": _signed(BY_ID + b",[1]]")}).status_code == 200


@pytest.mark.parametrize("cursor_label", [label for label in NASTY if "cursor" in label])
def test_forged_tampered_and_truncated_cursors_are_422_problems(api: Api, cursor_label: str) -> None:
    sorted_by = (("/initiatives", "id"), ("/initiatives", "title"), ("/milestones", "start"), ("/metrics", "value"))
    for path, sort in sorted_by:
        response = api.get(path, params={"cursor": NASTY[cursor_label], "sort": sort})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["name"] == "cursor"


@pytest.mark.parametrize(
    ("key", "status"),
    [("9223372036854775807", 404), ("9223372036854775808", 404), ("9" * 120, 404), ("0", 404), ("00000000001", 200)],
)
def test_numeric_ids_of_any_size_are_found_or_404(api: Api, key: str, status: int) -> None:
    response = api.get(f"/initiatives/{key}")
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["id"] == int(key)
