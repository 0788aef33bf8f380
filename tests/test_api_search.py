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
    nothing = {"items": [], "ranked_matches": 0, "ranking_complete": True}
    assert _search(api, q="zeppelin") == {**nothing, "matched": "all"}
    assert _search(api, q="zeppelin airship") == {**nothing, "matched": "any"}


def test_a_question_in_plain_words_is_answered_by_its_first_hit(api: Api) -> None:
    """No record holds every word of the question, so the hits match any of them, and say so; the
    best is the figure itself, with its value, unit and qualifier: no second request needed."""
    body = _search(api, q="What is the daily traffic on the bridge?", limit=5)
    assert body["matched"] == "any"
    first = body["items"][0]
    assert (first["type"], first["slug"]) == ("metrics", "hzmb-daily-average-vehicles")
    facts = first["facts"]
    assert (facts["value"], facts["unit"], facts["unit_label"], facts["qualifier"]) == (
        12000,
        "vehicles_per_day",
        "vehicles per day",
        "exact",
    )
    assert "daily average of 12 000 vehicles" in facts["quote"]


def test_the_any_word_fallback_finds_what_each_word_finds(api: Api) -> None:
    body = _search(api, q="ambulance hydrogen", type="initiatives", limit=100)
    assert body["matched"] == "any" and body["items"]
    either = _search(api, q="ambulance OR hydrogen", type="initiatives", limit=100)
    assert either["matched"] == "all"
    assert [(h["type"], h["id"]) for h in body["items"]] == [(h["type"], h["id"]) for h in either["items"]]
    assert _search(api, q="ambulance", limit=100)["matched"] == "all"


FACT_FIELDS = {
    "metrics": ("value", "previous_value", "unit", "unit_label", "unit_dimension", "qualifier"),
    "milestones": ("kind", "phrase", "start", "end", "precision", "qualifier", "edtf", "outcome"),
    "initiatives": ("kind", "status", "due", "due_state"),
    "agreements": ("kind",),
}


@pytest.mark.parametrize("q", ["2024", "development", "vehicles", "agreement"])
def test_each_hit_carries_the_facts_of_its_record(api: Api, q: str) -> None:
    hits = _search(api, q=q, limit=100)["items"]
    assert {hit["type"] for hit in hits} & set(FACT_FIELDS)
    for hit in hits:
        if hit["type"] not in FACT_FIELDS:
            assert hit["facts"] is None
            continue
        record = api.get(hit["url"]).json()
        facts = hit["facts"]
        assert {name: facts[name] for name in FACT_FIELDS[hit["type"]]} == {
            name: record[name] for name in FACT_FIELDS[hit["type"]]
        }, hit["url"]
        if hit["type"] == "metrics":
            assert facts["quote"] == record["source"]["quote"]
            assert facts["as_of"] == {k: record["as_of"][k] for k in ("phrase", "start", "end")}
        if hit["type"] == "agreements":
            assert facts["signed"] == {k: record["signed"][k] for k in ("phrase", "start", "end")}


def test_search_facts_of_each_type_appear(api: Api) -> None:
    """The control for the test above: every type with facts is among the hits of some query."""
    seen = {
        hit["type"]
        for q in ["2024", "development", "vehicles", "agreement"]
        for hit in _search(api, q=q, limit=100)["items"]
    }
    assert set(FACT_FIELDS) <= seen


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
