"""The slugs the loader refuses (app/loader/reserved.py) are exactly the fixed sub-paths the
API serves under a collection whose records are looked up at /<collection>/<slug>."""

import re

from app.api.routes.changes import RECORD_PATHS
from app.loader.reserved import RESERVED_SLUGS, reserved_problem
from app.main import create_app
from app.settings import Settings

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # what a record's slug may be


def fixed_sub_paths() -> dict[str, set[str]]:
    """Collection path -> the fixed second segments the API routes under it."""
    found: dict[str, set[str]] = {}
    for path in create_app(Settings(database_url="sqlite://")).openapi()["paths"]:
        parts = path.strip("/").split("/")
        if len(parts) == 2 and "{" not in parts[1] and SLUG.match(parts[1]):
            found.setdefault(f"/{parts[0]}", set()).add(parts[1])
    return found


def test_every_fixed_sub_path_of_a_collection_is_a_reserved_slug_of_its_records() -> None:
    table_of_path = {path: str(record_type) for record_type, path in RECORD_PATHS.items()}
    found = fixed_sub_paths()
    assert found["/metrics"] >= {"series", "summary"}
    expected = {table_of_path[path]: names for path, names in found.items() if path in table_of_path}
    assert {table: set(reserved.sub_paths) for table, reserved in RESERVED_SLUGS.items()} == expected
    for table, reserved in RESERVED_SLUGS.items():
        assert table_of_path[f"/{reserved.collection}"] == table


def test_a_reserved_slug_is_a_problem_for_its_own_collection_only() -> None:
    assert reserved_problem("metric", "summary") is not None
    assert reserved_problem("metric", "summary-of-2025") is None
    assert reserved_problem("metric_series", "summary") is None  # served at /metrics/series/summary
    assert reserved_problem("initiative", "series") is None
