"""What a page of the changes costs, and that what makes it cheap never hides a change: a page runs
the queries of the kinds whose tables hold rows of the document, and no others; which those are
is kept per data revision (app/query/change_presence.py), so a write through the API or a reload
shows in the changes at once. On both engines."""

import itertools
import re
from pathlib import Path
from typing import Any

from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine, select

from app.db.engine import read_snapshot
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.models import Document
from app.query import changes, prepared
from app.query.change_kinds import BRANCHES
from app.query.change_presence import PRESENCE
from tests.conftest import Api, Curation, make_api
from tests.helpers import TWENTY_FIFTH, UPDATE, seed_dir_with
from tests.test_curation_api import CARS, INSTITUTE, notice, post

KIND = re.compile(r"'(\w+)' AS kind")  # each kind's statement names its kind as a constant column


# Transaction control: with STOCK_PATHS=1, SQLite's snapshot BEGIN is sent as a statement too.
TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK"})


def sent(api: Api, statements: list[str], url: str) -> list[str]:
    """The queries a request sent (not its transaction control)."""
    statements.clear()
    response = api.get(url)
    assert response.status_code == 200, response.text
    return [statement for statement in statements if statement.strip().upper() not in TRANSACTION_CONTROL]


def kinds_run(statements: list[str]) -> list[str]:
    return [match.group(1) for statement in statements if (match := KIND.search(statement))]


def test_a_followups_page_runs_the_queries_of_the_kinds_it_has_and_no_others(
    counting_followup_api: tuple[Api, list[str]],
) -> None:
    api, statements = counting_followup_api
    PRESENCE.clear()  # what other tests asked of the same database must not make this one warm
    first = sent(api, statements, f"/documents/{UPDATE}/changes")
    # Status statements, a figure and a target reached (met and met late share the table); of
    # sixteen kinds, the other twelve have no row of the document.
    assert kinds_run(first) == ["status_changed", "observation_added", "target_met", "target_met_late"]
    # The ETag's revision, the document (with the revision), the probe of its tables, the four.
    assert len(first) == 7, first
    again = sent(api, statements, f"/documents/{UPDATE}/changes")
    assert len(again) == 6  # the probe's answer is kept for this revision
    assert kinds_run(again) == kinds_run(first)


def test_the_first_page_of_all_changes_runs_no_query_of_a_kind_a_document_lacks(
    counting_followup_api: tuple[Api, list[str]],
) -> None:
    api, statements = counting_followup_api
    PRESENCE.clear()
    # A page of 5 reads 6 changes (the sixth tells there is a next page): the newest document's
    # four, then the 25th Plenary's new area and new meeting. Between those two, its new officials
    # (it has posts, but none of a new official); not its places or organisations (it has none).
    first = sent(api, statements, "/changes?limit=5")
    assert kinds_run(first) == [
        *["status_changed", "observation_added", "target_met", "target_met_late"],
        *["record_added"] * 3,
    ]
    assert "FROM area" in first[-3] and "FROM post JOIN official" in first[-2] and "FROM meeting" in first[-1]
    assert len(first) == 1 + 1 + 2 + 7, first  # the ETag, the documents, a probe per document, the kinds
    assert len(sent(api, statements, "/changes?limit=5")) == 1 + 1 + 7


def typed(rows: list[dict[str, Any]]) -> list[list[tuple[str, str, Any]]]:
    """Rows as (label, type, value) in column order: 1 == 1.0 == Decimal(1) must not pass."""
    return [[(key, type(value).__name__, value) for key, value in row.items()] for row in rows]


def test_every_kind_returns_the_same_rows_by_the_shortcut_as_by_sqlalchemy(followup_engine: Engine) -> None:
    """The kinds' statements run on the DBAPI cursor (app/query/prepared.py's `fetch`): for every
    document, kind and keyset shape, the rows of SQLAlchemy's ordinary execution, value for value."""
    rows_per_kind = [0] * len(BRANCHES)
    with followup_engine.connect() as connection:
        read_snapshot(connection)
        documents = connection.execute(select(Document.id, Document.published_on)).all()
        shortcuts = prepared.fast_path_runs
        for (document_id, published_on), rank, after in itertools.product(documents, range(len(BRANCHES)), (None, 0)):
            values: dict[str, Any] = {"document_id": document_id, "published_on": published_on, "limit": 500}
            if after is not None:
                values["after"] = after
            fast = changes._kind_rows(connection, rank, values, prepared.fetch)
            ordinary = changes._kind_rows(connection, rank, values, prepared.fetch_ordinary)
            assert typed(fast) == typed(ordinary), (document_id, rank, after)
            rows_per_kind[rank] += len(fast)
        assert prepared.fast_path_runs - shortcuts == len(documents) * len(BRANCHES) * 2  # the shortcut ran
    assert all(rows_per_kind), rows_per_kind  # every kind had rows to compare


def changes_of(api: Api, document: str) -> list[tuple[str, str]]:
    response = api.get(f"/documents/{document}/changes", params={"limit": 500})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return [(change["kind"], change["record"]["slug"]) for change in items]


def test_a_write_through_the_api_shows_in_the_documents_changes_at_once(curation: Curation) -> None:
    document = notice(curation)
    assert changes_of(curation.api, document) == []  # the notice has no rows in any kind's table yet
    status = {"status": "launched", "effective": "in March 2025", "document": document}
    status["quote"] = "opened its doors in March 2025"
    written = post(curation, f"/initiatives/{INSTITUTE}/status", status)
    assert written.status_code == 201, written.text
    assert changes_of(curation.api, document) == [("status_changed", INSTITUTE)]
    figure = {
        "slug": "northbound-travel-participating-cars-2025-02",
        "value": 80000,
        "qualifier": "over",
        "as_of": "2025-02",
        "document": document,
        "quote": "By the end of February 2025, over 80 000 Hong Kong private cars had taken part in Northbound Travel",
    }
    assert post(curation, f"/metrics/series/{CARS}/observations", figure).status_code == 201
    assert changes_of(curation.api, document) == [
        ("status_changed", INSTITUTE),
        ("observation_added", "northbound-travel-participating-cars-2025-02"),
    ]
    reason = {"reason": "Recorded against the wrong initiative."}
    withdrawn = curation.api.request(
        "DELETE", written.headers["location"], json=reason, headers=curation.auth("curate")
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert changes_of(curation.api, document) == [("observation_added", "northbound-travel-participating-cars-2025-02")]


def test_a_reload_that_adds_to_a_document_shows_in_its_changes_at_once(
    portal: BlockingPortal, empty_engine: Engine, tmp_path: Path
) -> None:
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE)
    update = seed / f"{UPDATE}.yaml"
    full = update.read_text(encoding="utf-8")
    without_statuses = re.sub(r"\nstatus_updates:\n.*?\n\n", "\n", full, flags=re.DOTALL)
    assert "status_updates" not in without_statuses
    update.write_text(without_statuses, encoding="utf-8")
    upgrade(empty_engine)
    load_all(empty_engine, seed)
    api = make_api(portal, empty_engine)
    document_id = api.get(f"/documents/{UPDATE}").json()["id"]
    target = "cross-boundary-drone-delivery-pilot-launched"
    figure = "northbound-travel-participating-cars-2026-03"
    assert changes_of(api, UPDATE) == [("observation_added", figure), ("target_met", target)]

    update.write_text(full, encoding="utf-8")  # the curator adds the statuses, and reloads
    load_all(empty_engine, seed)
    assert api.get(f"/documents/{UPDATE}").json()["id"] == document_id  # the same document
    assert changes_of(api, UPDATE) == [
        ("status_changed", INSTITUTE),
        ("status_changed", "cross-boundary-drone-delivery-pilot"),
        ("observation_added", figure),
        ("target_met", target),
    ]
