"""Full-text search: stemming, phrases, prefixes, OR, ranking with snippets, on both engines."""

from typing import Any

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine, select

from app.main import create_app
from app.models.search import SearchEntry
from app.settings import Settings
from tests.conftest import Api
from tests.helpers import walk


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
    found = {i["id"] for i in walk(api, "/initiatives", {"q": "development", "limit": 500})}
    in_area = {i["id"] for i in walk(api, "/initiatives", {"area": "innovation-and-technology", "limit": 500})}
    both = {i["id"] for i in walk(api, "/initiatives", {"q": "development", "area": "innovation-and-technology"})}
    assert both == found & in_area
    assert 0 < len(both) < min(len(found), len(in_area)), "each must narrow the other, or this proves little"


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("'; DROP TABLE initiative; --", "DROP TABLE initiative"),
        ("NEAR(hydrogen technologies)", "NEAR hydrogen technologies"),
        ("title:hydrogen", "title hydrogen"),
        ("hydrogen AND", "hydrogen AND"),
        ("^hydrogen", "hydrogen"),
        ("hydrogen -technologies", "hydrogen technologies"),
        ("\u202ehydrogen", "hydrogen"),
    ],
)
def test_sql_and_fts_syntax_in_queries_is_just_text(api: Api, q: str, words: str) -> None:
    """The query language's rule (app/query/fulltext.py): anything but words, "phrases", word*
    and OR is punctuation and is dropped. So such a query is answered (200, not refused) with
    exactly what its words alone find."""
    response = api.get("/initiatives", params={"q": q, "limit": 500})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == api.get("/initiatives", params={"q": words, "limit": 500}).json()["items"]


def test_the_punctuation_test_finds_something(api: Api) -> None:
    """The control for the test above: its queries are not all answered by an empty page."""
    assert _titles(api, "initiatives", "hydrogen")
    assert _titles(api, "initiatives", "hydrogen AND")  # "and" is a word (or a stop word), not an operator


def test_cross_resource_search_ranks_hits_with_highlighted_snippets(api: Api) -> None:
    body = api.get("/search", params={"q": "hydrogen"}).json()
    hits = body["items"]
    assert hits
    assert {hit["type"] for hit in hits} >= {"initiatives"}
    assert all("<mark>" in hit["snippet"] for hit in hits if hit["type"] != "documents")
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert body["ranking_complete"]  # so the hits of one type are those of the whole ranking
    only = api.get("/search", params={"q": "hydrogen", "type": "initiatives"}).json()["items"]
    assert only and only == [hit for hit in hits if hit["type"] == "initiatives"]
    first = hits[0]
    assert api.get(first["url"]).status_code == 200


COLLECTIONS = ["initiatives", "agreements", "metrics", "milestones", "areas", "organisations", "officials", "places"]
COLLECTIONS += ["meetings", "documents"]


def _search(api: Api, **params: object) -> dict[str, Any]:
    response = api.get("/search", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_every_match_is_ranked_when_the_term_is_not_too_common(api: Api) -> None:
    body = _search(api, q="hydrogen", limit=100)
    matching = sum(
        api.get(f"/{name}", params={"q": "hydrogen", "count": "exact"}).json()["total"] for name in COLLECTIONS
    )
    assert body["ranked_matches"] == matching == len(body["items"]) > 0
    assert body["ranking_complete"] is True


def test_nothing_matching_ranks_nothing(api: Api) -> None:
    assert _search(api, q="zeppelin") == {"items": [], "ranked_matches": 0, "ranking_complete": True}


def _entry_ids(engine: Engine) -> dict[tuple[str, int], int]:
    with engine.connect() as connection:
        rows = connection.execute(select(SearchEntry.resource, SearchEntry.record_id, SearchEntry.id))
        return {(resource, record_id): entry_id for resource, record_id, entry_id in rows}


@pytest.mark.parametrize("window", [1, 3, 7])
def test_a_common_term_is_ranked_within_the_most_recent_window(
    portal: BlockingPortal, seeded_engine: Engine, window: int
) -> None:
    """The window's hits are the full ranking's, restricted to the `window` highest entry ids."""
    settings = Settings(database_url=seeded_engine.url.render_as_string(hide_password=False), search_rank_window=window)
    narrow = Api(portal, create_app(settings, seeded_engine))
    wide = Api(portal, create_app(settings.model_copy(update={"search_rank_window": 20_000}), seeded_engine))
    everything = _search(wide, q="development", limit=100)
    # All of them on one page, so the newest entries among them are the newest of all matches.
    assert everything["ranking_complete"] and 7 < everything["ranked_matches"] == len(everything["items"])
    entry = _entry_ids(seeded_engine)
    key = lambda hit: entry[(hit["type"], hit["id"])]  # noqa: E731
    newest = sorted(map(key, everything["items"]), reverse=True)[:window]
    expected = [hit for hit in everything["items"] if key(hit) in newest]

    body = _search(narrow, q="development", limit=100)
    assert body["ranked_matches"] == window
    assert body["ranking_complete"] is False
    assert [(h["type"], h["id"]) for h in body["items"]] == [(h["type"], h["id"]) for h in expected]
    assert [h["score"] for h in body["items"]] == [h["score"] for h in expected]
    typed = _search(narrow, q="development", type="initiatives", limit=100)
    assert typed["ranked_matches"] == window and all(h["type"] == "initiatives" for h in typed["items"])


@pytest.mark.parametrize("q", ["ambulances", "hydrogen", "Technopole", "clinical trial", "Nansha"])
def test_a_long_documents_snippet_still_marks_the_words(api: Api, q: str) -> None:
    """PostgreSQL builds a long body's headline from an excerpt around the first word's stem."""
    (hit,) = _search(api, q=q, type="documents")["items"]
    assert len(api.get(f"/documents/{hit['slug']}/text").text) > 4000  # the excerpt is what is tested
    assert "<mark>" in hit["snippet"], hit["snippet"]
