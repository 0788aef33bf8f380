"""ETags derive from the data and the request; If-None-Match gets a 304."""

import pytest

from tests.conftest import Api


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives?area=healthcare",
        "/initiatives/1",
        "/metrics?format=csv",
        "/search?q=hydrogen",
        "/metrics/summary",
        "/timeline",
        "/documents/24th-plenary-press-release/text",
    ],
)
def test_a_matching_if_none_match_gets_304(api: Api, url: str) -> None:
    first = api.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert "public" in first.headers["cache-control"]
    again = api.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_the_etag_is_stable_and_differs_per_request(api: Api) -> None:
    one = api.get("/initiatives", params={"area": "healthcare"}).headers["etag"]
    assert api.get("/initiatives", params={"area": "healthcare"}).headers["etag"] == one
    assert api.get("/initiatives", params={"area": "education"}).headers["etag"] != one
    assert api.get("/initiatives", params={"area": "healthcare", "format": "csv"}).headers["etag"] != one


def test_a_stale_etag_gets_the_full_response(api: Api) -> None:
    response = api.get("/initiatives", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.json()["items"]
