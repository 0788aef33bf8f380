"""Full-text search: stemming, phrases, prefixes, OR, ranking with snippets, on both engines."""

from tests.conftest import Api
from tests.test_api_collections import walk


def _titles(api: Api, collection: str, q: str) -> list[str]:
    return [item["title"] for item in walk(api, f"/{collection}", {"q": q, "limit": 500})]


def test_stemming_finds_the_ambulance_pilot_from_ambulances(api: Api) -> None:
    titles = _titles(api, "initiatives", "ambulances")
    assert any("Ambulance" in title for title in titles)


def test_phrase_queries_need_the_words_in_order(api: Api) -> None:
    assert _titles(api, "initiatives", '"clinical trial"')
    assert not _titles(api, "initiatives", '"trial clinical"')


def test_prefix_queries(api: Api) -> None:
    assert set(_titles(api, "initiatives", "hydro*")) >= set(_titles(api, "initiatives", "hydrogen"))
    assert _titles(api, "initiatives", "hydrogen")


def test_or_widens_and_words_narrow(api: Api) -> None:
    either = set(_titles(api, "initiatives", "ambulance OR hydrogen"))
    assert either == set(_titles(api, "initiatives", "ambulance")) | set(_titles(api, "initiatives", "hydrogen"))
    assert not _titles(api, "initiatives", "ambulance hydrogen")


def test_search_composes_with_filters(api: Api) -> None:
    items = walk(api, "/metrics", {"q": "vehicles", "area": "transport-and-logistics"})
    assert items and all(m["area"]["slug"] == "transport-and-logistics" for m in items)


def test_sql_and_fts_syntax_in_queries_is_just_text(api: Api) -> None:
    for q in [
        "'; DROP TABLE initiative; --",
        "NEAR(a b)",
        "title:hydrogen",
        "a AND",
        "^x",
        "\u202ehydrogen",
    ]:
        response = api.get("/initiatives", params={"q": q})
        assert response.status_code in (200, 422), (q, response.text)


def test_cross_resource_search_ranks_hits_with_highlighted_snippets(api: Api) -> None:
    body = api.get("/search", params={"q": "hydrogen"}).json()
    hits = body["items"]
    assert hits
    assert {hit["type"] for hit in hits} >= {"initiatives"}
    assert all("<mark>" in hit["snippet"] for hit in hits if hit["type"] != "documents")
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    only = api.get("/search", params={"q": "hydrogen", "type": "metrics"}).json()["items"]
    assert all(hit["type"] == "metrics" for hit in only)
    first = hits[0]
    assert api.get(first["url"]).status_code == 200
