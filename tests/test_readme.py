"""Every curl example in the README works and returns data (the README is a contract)."""

import re

import pytest

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
