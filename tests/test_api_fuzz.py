"""Schemathesis against the app's own OpenAPI document, in-process over a seeded database:
every operation, at least 100 generated cases (valid and invalid), no server error, and
every response conforms to the documented status codes, content types and schemas."""

import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from app.main import create_app
from app.settings import Settings

pytestmark = pytest.mark.slow  # hundreds of generated requests per operation

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The document does not depend on the database, so it is read once, from an app with none. The
# reads: the writes, with a key, over a database of their own: tests/test_curation_fuzz.py.
schema = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi()).include(method="GET")


@pytest.fixture(scope="module")
def fuzzed_app(seeded_engine: Engine) -> FastAPI:
    url = seeded_engine.url.render_as_string(hide_password=False)
    return create_app(Settings(database_url=url), seeded_engine)


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
    # CI replays the same cases every run; a developer's run explores new ones.
    derandomize=os.environ.get("CI") == "true",
)
def test_every_operation_conforms_to_its_schema(case: Any, fuzzed_app: FastAPI) -> None:
    case.call_and_validate(app=fuzzed_app, checks=CHECKS)
