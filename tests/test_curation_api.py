"""Curators record progress through the API: a follow-up document, status statements, figures,
new records, each checked against its evidence as the seed is; what they write shows at once in
the history, `as_of`, the changes and the ETags, with `recorded_by` and `recorded_at`."""

from pathlib import Path
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal
from sqlalchemy import func, select

from app.db.engine import make_engine
from app.models import AuditEntry
from app.settings import Settings
from tests.conftest import Curation, make_api
from tests.helpers import assert_problem

NOTICE = "departmental-notice-fictional"
NOTICE_TEXT = (Path(__file__).parent / "fixtures" / "curation" / f"{NOTICE}.txt").read_text(encoding="utf-8")
INSTITUTE = "building-technology-research-institute"
CARS = "northbound-travel-participating-cars"


def post(curation: Curation, path: str, body: dict[str, Any], who: str = "curate") -> httpx.Response:
    return curation.api.request("POST", path, json=body, headers=curation.auth(who))


def notice(curation: Curation) -> str:
    """The fictional notice, recorded once per database."""
    if curation.api.get(f"/documents/{NOTICE}").status_code == 404:
        body = {
            "slug": NOTICE,
            "title": "Departmental notice on co-operation measures (fictional)",
            "issuer": "A fictional department",
            "published_on": "2025-04-01",
            "text": NOTICE_TEXT,
        }
        response = post(curation, "/documents", body)
        assert response.status_code == 201, response.text
        assert response.headers["location"] == f"/documents/{NOTICE}"
    return NOTICE


def audit_rows(curation: Curation) -> int:
    with curation.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def test_a_status_change_shows_in_the_history_the_record_as_of_and_the_changes(curation: Curation) -> None:
    document = notice(curation)
    etag_before = curation.api.get(f"/initiatives/{INSTITUTE}").headers["etag"]
    body = {
        "status": "launched",
        "effective": "in March 2025",
        "document": document,
        "quote": "opened its doors in March 2025",
    }
    response = post(curation, f"/initiatives/{INSTITUTE}/status", body)
    assert response.status_code == 201, response.text
    written = response.json()
    assert written["recorded_by"] == "curator-alice"
    assert curation.api.get(written["url"]).json()["record"]["status"] == "launched"

    detail = curation.api.get(f"/initiatives/{INSTITUTE}")
    assert detail.json()["status"] == "launched"
    assert detail.headers["etag"] != etag_before  # at once: the ETag is derived from the database
    assert curation.api.get(f"/initiatives/{INSTITUTE}", params={"as_of": "2025-02-28"}).json()["status"] == "planned"
    assert curation.api.get(f"/initiatives/{INSTITUTE}", params={"as_of": "2025-03-31"}).json()["status"] == "launched"

    history = curation.api.get(f"/initiatives/{INSTITUTE}/history", params={"kind": "status"}).json()["items"]
    recorded = [entry for entry in history if entry["document"]["slug"] == document]
    assert len(recorded) == 1
    entry = recorded[0]
    assert (entry["status"], entry["previous_status"], entry["effective"]["edtf"]) == ("launched", "planned", "2025-03")
    assert entry["recorded_by"] == "curator-alice" and entry["recorded_at"]
    assert entry["source"]["quote"] == NOTICE_TEXT[entry["source"]["start"] : entry["source"]["end"]]
    assert all(e["recorded_by"] is None for e in history if e["document"]["slug"] != document)

    changes = curation.api.get(f"/documents/{document}/changes", params={"kind": "status_changed"}).json()["items"]
    assert [(c["record"]["slug"], c["previous_status"], c["recorded_by"]) for c in changes] == [
        (INSTITUTE, "planned", "curator-alice")
    ]


def test_an_iso_or_edtf_effective_date_is_taken_as_given(curation: Curation) -> None:
    document = notice(curation)
    body = {
        "status": "in_progress",
        "effective": "2025-02",
        "document": document,
        "quote": "begun its first research programmes",
    }
    response = post(curation, "/initiatives/san-tin-technopole-first-phase/status", body)
    assert response.status_code == 201, response.text
    record = response.json()["record"]
    assert (record["effective_edtf"], record["effective_on"], record["effective_precision"]) == (
        "2025-02",
        "2025-02-28",
        "month",
    )


def test_a_quote_not_in_the_document_is_refused_and_nothing_is_written(curation: Curation) -> None:
    document = notice(curation)
    before = audit_rows(curation)
    body = {"status": "completed", "document": document, "quote": "words the notice never says"}
    problem = assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", body), 422)
    assert "quote not found in the text" in problem["detail"]
    assert audit_rows(curation) == before


def test_an_effective_date_after_the_document_or_unresolvable_is_refused(curation: Curation) -> None:
    document = notice(curation)
    later = {"status": "launched", "effective": "2025-06", "document": document, "quote": "opened its doors"}
    assert (
        "after the document's date"
        in assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", later), 422)["detail"]
    )
    not_quoted = {"status": "launched", "effective": "in May 2024", "document": document, "quote": "opened its doors"}
    assert (
        "is not in its quote"
        in assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", not_quoted), 422)["detail"]
    )


def test_unknown_records_and_documents_are_named(curation: Curation) -> None:
    body = {"status": "launched", "document": "no-such-document", "quote": "opened its doors"}
    assert "unknown document" in assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", body), 422)["detail"]
    body["document"] = notice(curation)
    assert_problem(post(curation, "/initiatives/no-such-initiative/status", body), 404)
    invalid = {"status": "finished", "document": body["document"], "quote": "opened its doors"}
    assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", invalid), 422, "status")
    extra = {**body, "recorded_by": "someone else"}
    assert_problem(post(curation, f"/initiatives/{INSTITUTE}/status", extra), 422, "recorded_by")


def test_a_new_figure_of_a_series_shows_in_the_series(curation: Curation) -> None:
    document = notice(curation)
    body = {
        "slug": "northbound-travel-participating-cars-2025-02",
        "value": 80000,
        "qualifier": "over",
        "as_of": "2025-02",
        "document": document,
        "quote": "By the end of February 2025, over 80 000 Hong Kong private cars had taken part in Northbound Travel",
    }
    response = post(curation, f"/metrics/series/{CARS}/observations", body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/metrics/northbound-travel-participating-cars-2025-02"
    series = curation.api.get(f"/metrics/series/{CARS}").json()
    assert series["latest"]["value"] == 80000
    metric = curation.api.get("/metrics/northbound-travel-participating-cars-2025-02").json()
    assert (metric["unit"], metric["as_of"]["end"]) == ("vehicles", "2025-02-28")
    again = post(curation, f"/metrics/series/{CARS}/observations", body)
    assert_problem(again, 409)


def test_a_new_initiative_with_its_evidence_and_then_a_patch(curation: Curation) -> None:
    document = notice(curation)
    body = {
        "slug": "modular-construction-testing-laboratory",
        "area": "innovation-and-technology",
        "title": "Modular Construction Testing Laboratory",
        "summary": "A laboratory testing modular construction.",
        "kind": "facility",
        "status": "planned",
        "status_quote": "to start work in 2025",
        "quote": "set up a testing laboratory for modular construction",
        "lead": "hksar-government",
        "document": document,
    }
    response = post(curation, "/initiatives", body)
    assert response.status_code == 201, response.text
    url = response.headers["location"]
    created = curation.api.get(url)
    assert created.json()["title"] == "Modular Construction Testing Laboratory"
    assert curation.api.get("/search", params={"q": "modular"}).json()["items"]
    assert_problem(post(curation, "/initiatives", body), 409)

    patch_headers = {**curation.auth("curate"), "Content-Type": "application/merge-patch+json"}
    patch = b'{"summary": "A laboratory that tests modular construction methods."}'
    assert_problem(curation.api.request("PATCH", url, content=patch, headers=patch_headers), 428)
    stale = {**patch_headers, "If-Match": '"0123456789abcdef0123456789abcdef"'}
    assert_problem(curation.api.request("PATCH", url, content=patch, headers=stale), 412)
    fresh = {**patch_headers, "If-Match": created.headers["etag"]}
    patched = curation.api.request("PATCH", url, content=patch, headers=fresh)
    assert patched.status_code == 200, patched.text
    assert curation.api.get(url).json()["summary"] == "A laboratory that tests modular construction methods."
    assert patched.headers["etag"] == curation.api.get(url).headers["etag"]
    # The ETag that was current before the patch is now stale.
    assert_problem(curation.api.request("PATCH", url, content=patch, headers=fresh), 412)


def test_a_patch_names_read_only_and_unknown_fields(curation: Curation) -> None:
    headers = {**curation.auth("curate"), "Content-Type": "application/merge-patch+json", "If-Match": "*"}
    url = f"/initiatives/{INSTITUTE}"
    problem = assert_problem(
        curation.api.request("PATCH", url, content=b'{"slug": "x", "colour": 1}', headers=headers), 422
    )
    assert {(e["name"], e["detail"]) for e in problem["errors"]} == {("slug", "read-only"), ("colour", "unknown field")}
    seed_record = curation.api.request("PATCH", url, content=b'{"title": "Another"}', headers=headers)
    assert "seed" in assert_problem(seed_record, 409)["detail"]
    as_json = {**headers, "Content-Type": "application/json"}
    assert_problem(curation.api.request("PATCH", url, content=b'{"title": "Another"}', headers=as_json), 415)


def test_withdrawing_a_statement_keeps_it_in_the_history_and_stops_counting_it(curation: Curation) -> None:
    document = notice(curation)
    initiative = "remaining-ndas-land-use-proposals"
    assert curation.api.get(f"/initiatives/{initiative}").json()["status"] == "planned"
    body = {
        "status": "stalled",
        "effective": "2025-03-01",
        "document": document,
        "quote": "opened its doors in March 2025",
    }
    response = post(curation, f"/initiatives/{initiative}/status", body)
    assert response.status_code == 201, response.text
    assert curation.api.get(f"/initiatives/{initiative}").json()["status"] == "stalled"

    statement = response.headers["location"]
    reason = {"reason": "Recorded against the wrong initiative."}
    withdrawal = curation.api.request("DELETE", statement, json=reason, headers=curation.auth("curate"))
    assert withdrawal.status_code == 200, withdrawal.text
    assert withdrawal.json()["record"]["withdrawn_by"] == "curator-alice"
    assert curation.api.get(f"/initiatives/{initiative}").json()["status"] == "planned"
    history = curation.api.get(f"/initiatives/{initiative}/history").json()["items"]
    withdrawn = [e for e in history if e["document"]["slug"] == document]
    assert len(withdrawn) == 1
    assert withdrawn[0]["withdrawn"]["reason"] == "Recorded against the wrong initiative."
    assert (withdrawn[0]["status"], withdrawn[0]["previous_status"]) == ("stalled", None)
    assert all(e["withdrawn"] is None for e in history if e is not withdrawn[0])
    assert curation.api.get(statement).json()["record"]["withdrawn_reason"] == reason["reason"]
    assert_problem(curation.api.request("DELETE", statement, json=reason, headers=curation.auth("curate")), 409)
    assert_problem(
        curation.api.request("DELETE", "/status-statements/999999", json=reason, headers=curation.auth("curate")), 404
    )


def test_the_audit_names_every_write_with_its_key_and_the_record_before_and_after(curation: Curation) -> None:
    notice(curation)
    audit = curation.api.get("/audit", headers=curation.auth("admin"))
    assert audit.status_code == 200, audit.text
    items = audit.json()["items"]
    assert (items and len(items) == audit_rows(curation)) or audit.json()["next_cursor"]
    document = next(e for e in items if e["record"]["type"] == "document")
    assert (document["method"], document["path"], document["key"]["name"]) == ("POST", "/documents", "curator-alice")
    assert document["before"] is None and document["after"]["slug"] == NOTICE
    assert "text" not in document["after"]
    assert document["request_id"]
    for entry in items:
        assert set(curation.keys.values()).isdisjoint(str(entry).split("'"))
    mine = curation.api.get("/audit", params={"key": "curator-alice", "limit": 1}, headers=curation.auth("admin"))
    assert [e["key"]["name"] for e in mine.json()["items"]] == ["curator-alice"]
    assert_problem(curation.api.get("/audit", params={"cursor": "x"}, headers=curation.auth("admin")), 422, "cursor")
    assert_problem(curation.api.get("/audit", headers=curation.auth("curate")), 403)
    assert_problem(curation.api.get("/audit"), 401)


def test_every_worker_sees_a_write_at_once(curation: Curation, portal: BlockingPortal) -> None:
    """Another app process over the same database (its own engine, its own pool) serves the new
    ETag and state from its next request: nothing is cached in process memory."""
    url = curation.engine.url.render_as_string(hide_password=False)
    other_engine = make_engine(Settings(database_url=url), url)
    try:
        other = make_api(portal, other_engine)
        initiative = "gogba-sector-series"
        before = other.get(f"/initiatives/{initiative}")
        body = {"status": "ongoing", "document": notice(curation), "quote": "begun its first research programmes"}
        assert post(curation, f"/initiatives/{initiative}/status", body).status_code == 201
        after = other.get(f"/initiatives/{initiative}", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert after.headers["etag"] != before.headers["etag"]
        assert after.json()["status"] == "ongoing"
    finally:
        other_engine.dispose()
