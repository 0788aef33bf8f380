"""Every collection and detail endpoint, through HTTP, on both engines."""

import pytest

from tests.conftest import Api
from tests.helpers import walk

COLLECTIONS = [
    "areas",
    "initiatives",
    "agreements",
    "metrics",
    "metrics/series",
    "milestones",
    "organisations",
    "officials",
    "places",
    "meetings",
    "documents",
]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_collection_lists_records_with_ids_and_slugs(api: Api, collection: str) -> None:
    response = api.get(f"/{collection}", params={"limit": 500})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    items = response.json()["items"]
    assert items, f"/{collection} is empty"
    assert len({item["id"] for item in items}) == len(items)
    assert all(item["slug"] for item in items)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_detail_by_id_and_by_slug_are_the_same_record(api: Api, collection: str) -> None:
    first = api.get(f"/{collection}", params={"limit": 1}).json()["items"][0]
    by_id = api.get(f"/{collection}/{first['id']}")
    by_slug = api.get(f"/{collection}/{first['slug']}")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    assert by_id.json()["slug"] == first["slug"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_unknown_record_is_a_404_problem(api: Api, collection: str) -> None:
    response = api.get(f"/{collection}/no-such-record")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and "no-such-record" in problem["detail"]


def test_the_link_header_points_to_the_next_page(api: Api) -> None:
    response = api.get("/initiatives", params={"limit": 2, "area": "healthcare"})
    link = response.headers["link"]
    url = link[link.index("<") + 1 : link.index(">")]
    assert "area=healthcare" in url and "cursor=" in url
    following = api.get(url.replace("http://testserver", ""))
    assert following.status_code == 200
    first_ids = {item["id"] for item in response.json()["items"]}
    assert not first_ids & {item["id"] for item in following.json()["items"]}


def test_every_fact_carries_a_quote_that_is_in_the_document(api: Api) -> None:
    document = api.get("/documents/24th-plenary-press-release").json()
    text = document["text"]
    for collection in (
        "initiatives",
        "agreements",
        "metrics",
        "milestones",
        "organisations",
        "places",
        "meetings",
    ):
        for item in walk(api, f"/{collection}", {"limit": 500}):
            source = item["source"]
            assert source["document"] == document["slug"]
            assert text[source["start"] : source["end"]] == source["quote"], (
                collection,
                item["slug"],
            )


def test_document_text_is_served_whole_and_clean(api: Api) -> None:
    response = api.get("/documents/24th-plenary-press-release/text")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "Guangdong" in response.text
    assert "\ufffd" not in response.text and "Photo" not in response.text
    assert api.get("/documents/no-such/text").status_code == 404


def test_initiative_detail_embeds_its_related_records(api: Api) -> None:
    items = walk(api, "/initiatives", {"limit": 500, "include": "metrics,milestones,organisations"})
    with_metrics = next(item for item in items if item["metrics"])
    detail = api.get(f"/initiatives/{with_metrics['slug']}").json()
    for name in ("metrics", "milestones", "agreements", "organisations", "places"):
        assert isinstance(detail[name], list)
    assert detail["area"]["slug"]
    assert detail["metrics"] == with_metrics["metrics"]


def test_healthcare_initiatives_are_the_healthcare_ones(api: Api) -> None:
    items = walk(api, "/initiatives", {"area": "healthcare"})
    assert items and {item["area"]["slug"] for item in items} == {"healthcare"}
    titles = " ".join(item["title"] for item in items)
    assert "Elderly Health Care Voucher" in titles or "Clinical Trial" in titles
