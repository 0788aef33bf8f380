"""Every curl example in the README works and returns data (the README is a contract)."""

import re

import pytest

from app.api.parameter_tables import parameter_tables, readme_with_tables
from app.api.routes.index import EXAMPLES
from app.query.resources import RESOURCES
from app.settings import PROJECT_ROOT
from tests.conftest import Api

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
# The reads; the write examples (`curl -X POST ...`, with a key) are what tests/test_curation_api.py does.
URLS = sorted(
    {url for line in README.splitlines() if " -X " not in line for url in re.findall(r'"\$API(/[^"]*)"', line)}
)


def test_the_readme_shows_the_two_commands_first() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    assert len(URLS) >= 20


@pytest.mark.parametrize("url", URLS)
def test_readme_example_answers_with_data(api: Api, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        data = body.get("items", body.get("periods", body.get("groups", body)))
        assert data, f"{url} returned nothing"
    else:
        assert len(response.content) > 50


def test_the_example_questions_of_the_docs_are_readme_recipes() -> None:
    for question, href in EXAMPLES:
        assert f'"$API{href}"' in README, href
        assert question.rstrip("?") in README, question


def test_the_readme_tables_of_parameters_are_the_apis(api: Api) -> None:
    """Made from the OpenAPI document and the specs: a filter, sort key, include or facet added
    or renamed without regenerating them fails here."""
    tables = parameter_tables(api.app)
    assert readme_with_tables(README, tables) == README, (
        "README.md's parameter tables are out of date: run .venv/bin/python -m app.api.parameter_tables --write"
    )
    assert tables.count("| Filters |") == len(RESOURCES)


def test_the_readme_says_as_of_defaults_to_the_servers_today() -> None:
    assert "`as_of` defaults to today's date on the server" in README
