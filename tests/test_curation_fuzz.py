"""Schemathesis over the write operations with a curate key, over a seeded database of its own:
every write operation with generated bodies (valid and invalid), then its stateful mode, which
follows the OpenAPI links (create, then read, then patch or withdraw). No server error, every
response as documented."""

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import Settings
from tests.conftest import Curation

pytestmark = pytest.mark.slow  # hundreds of generated writes

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
document = create_app(Settings(database_url="sqlite://")).openapi()
writes = schemathesis.openapi.from_dict(document).include(method=["POST", "PATCH", "DELETE"])
everything = schemathesis.openapi.from_dict(document)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
    derandomize=os.environ.get("CI") == "true",
)


@writes.parametrize()
@SETTINGS
def test_every_write_operation_conforms_with_a_curate_key(case: Any, curation: Curation) -> None:
    case.call_and_validate(app=curation.api.app, headers=curation.auth("curate"), checks=CHECKS)


def test_stateful_create_read_patch_withdraw(curation: Curation) -> None:
    base = everything.as_state_machine()
    app, headers = curation.api.app, curation.auth("curate")

    class Scenario(base):  # type: ignore[valid-type,misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": app, "headers": headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Scenario.run(settings=settings(SETTINGS, max_examples=15, stateful_step_count=6))
