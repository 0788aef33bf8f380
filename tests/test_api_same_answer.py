"""What a person types that means the same thing gets the same answer: HEAD on every GET
route, a trailing slash, and / itself; on the DirectRoute fast path and on the stock one."""

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine

from app.main import create_app
from app.settings import Settings
from tests.conftest import Api

PATHS = [
    "/",
    "/initiatives",
    "/initiatives?area=healthcare&format=csv",
    "/initiatives/san-tin-technopole-first-phase",
    "/initiatives/building-technology-research-institute/history",
    "/metrics/summary",
    "/timeline",
    "/search?q=hydrogen",
    "/changes.atom",
    "/healthz",
    "/openapi.json",
    "/docs",
]


@pytest.fixture(scope="module", params=[False, True], ids=["direct", "stock_paths"])
def both_paths_api(request: pytest.FixtureRequest, portal: BlockingPortal, seeded_engine: Engine) -> Api:
    settings = Settings(database_url=seeded_engine.url.render_as_string(hide_password=False), stock_paths=request.param)
    return Api(portal, create_app(settings, seeded_engine))


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_as_get_without_a_body(both_paths_api: Api, path: str) -> None:
    got = both_paths_api.get(path)
    head = both_paths_api.request("HEAD", path)
    assert got.status_code == head.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("etag") == got.headers.get("etag")
    assert head.headers.get("content-length") == got.headers.get("content-length")


@pytest.mark.parametrize(
    "path", ["/initiatives/", "/initiatives/healthcare-cooperation/", "/metrics/series/", "/docs/"]
)
def test_a_trailing_slash_gets_the_same_answer_as_without(both_paths_api: Api, path: str) -> None:
    without = both_paths_api.get(path.rstrip("/"))
    with_slash = both_paths_api.get(path)
    assert with_slash.status_code == without.status_code
    assert with_slash.status_code in (200, 404)
    if with_slash.headers["content-type"].startswith("application/"):
        # A problem names its own request id.
        assert {**with_slash.json(), "request_id": None} == {**without.json(), "request_id": None}
    else:
        assert with_slash.content == without.content


def test_the_query_string_survives_a_trailing_slash(both_paths_api: Api) -> None:
    response = both_paths_api.get("/initiatives/?area=healthcare&limit=2")
    assert response.status_code == 200
    assert [i["area"]["slug"] for i in response.json()["items"]] == ["healthcare", "healthcare"]


def test_the_root_lists_the_collections_and_links_the_documentation(both_paths_api: Api) -> None:
    body = both_paths_api.get("/").json()
    assert (body["docs"], body["redoc"], body["openapi"]) == ("/docs", "/redoc", "/openapi.json")
    hrefs = [link["href"].split("=")[0] + ("=" if "=" in link["href"] else "") for link in body["collections"]]
    for path in (
        "/initiatives",
        "/agreements",
        "/metrics",
        "/metrics/series",
        "/milestones",
        "/search?q=",
        "/timeline",
    ):
        assert path in hrefs
    assert "/healthz" not in hrefs and "/" not in hrefs
    for link in body["collections"] + body["examples"]:
        response = both_paths_api.get(link["href"])
        assert response.status_code == 200, (link, response.text)
