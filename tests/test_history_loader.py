"""Many documents: follow-ups refer to earlier records by slug and add statements about them,
load in publication order, idempotently, and can be removed again; bad follow-ups load nothing."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, text

from app.db.migrate import upgrade
from app.loader.errors import SeedError
from app.loader.load import load_all
from tests.helpers import FOLLOWUPS, SEED_DIR, TWENTY_FIFTH, UPDATE, dump, dump_after_fresh_load, seed_dir_with


def edit_seed(seed_dir: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    path = seed_dir / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def migrated(empty_engine: Engine) -> Engine:
    upgrade(empty_engine)
    return empty_engine


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def rows(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def test_every_fictional_followup_is_marked_fictional_in_its_first_line() -> None:
    for path in FOLLOWUPS.iterdir():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert "FICTIONAL" in first, path.name


def test_followups_load_in_publication_order_and_a_second_load_changes_nothing(
    migrated: Engine, tmp_path: Path
) -> None:
    # File names sort the update before the 25th Plenary; publication order puts it last.
    seed = seed_dir_with(tmp_path / "seed", UPDATE, TWENTY_FIFTH)
    assert load_all(migrated, seed).any
    before = dump(migrated)
    assert not load_all(migrated, seed).any
    assert dump(migrated) == before


def test_the_24th_seed_keeps_its_ids_when_followups_are_added(migrated: Engine, tmp_path: Path) -> None:
    load_all(migrated, SEED_DIR)
    before = rows(migrated, "SELECT id, slug FROM initiative ORDER BY id")
    load_all(migrated, seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE))
    after = rows(migrated, "SELECT id, slug FROM initiative ORDER BY id")
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_status_is_the_latest_statement_by_effective_date_and_may_move_backwards(
    migrated: Engine, tmp_path: Path
) -> None:
    load_all(migrated, seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE))
    history = rows(
        migrated,
        "SELECT s.status, s.effective_on, d.slug FROM status_statement s "
        "JOIN initiative i ON i.id = s.initiative_id JOIN document d ON d.id = s.document_id "
        "WHERE i.slug = 'building-technology-research-institute' ORDER BY s.effective_on",
    )
    assert [(status, str(day)) for status, day, _ in history] == [
        ("planned", "2024-07-12"),
        ("launched", "2025-03-31"),
        ("stalled", "2026-02-01"),
    ]
    current = rows(
        migrated,
        "SELECT status, status_quote FROM initiative WHERE slug = 'building-technology-research-institute'",
    )
    assert current == [
        (
            "stalled",
            "The operations of the Building Technology Research Institute have been suspended since February 2026",
        )
    ]


def test_a_figure_reported_again_is_a_new_observation_of_the_same_series(migrated: Engine, tmp_path: Path) -> None:
    load_all(migrated, seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE))
    observations = rows(
        migrated,
        "SELECT m.value, m.qualifier, m.unit, m.as_of_end FROM metric m JOIN metric_series s ON s.id = m.series_id "
        "WHERE s.slug = 'northbound-travel-participating-cars' ORDER BY m.as_of_end",
    )
    assert [(value, qualifier, unit, str(day)) for value, qualifier, unit, day in observations] == [
        (65000, "over", "vehicles", "2024-07-12"),
        (100000, "over", "vehicles", "2025-09-18"),
        (120000, "more_than", "vehicles", "2026-03-10"),
    ]
    assert scalar(migrated, "SELECT count(*) FROM metric_series") == 23


def test_a_new_target_supersedes_the_old_and_becomes_the_due_window(migrated: Engine, tmp_path: Path) -> None:
    load_all(migrated, SEED_DIR)
    assert str(scalar(migrated, "SELECT due_end FROM initiative WHERE slug = 'remaining-ndas-land-use-proposals'")) == (
        "2024-12-31"
    )
    load_all(migrated, seed_dir_with(tmp_path / "seed", TWENTY_FIFTH))
    assert str(scalar(migrated, "SELECT due_end FROM initiative WHERE slug = 'remaining-ndas-land-use-proposals'")) == (
        "2026-12-31"
    )
    superseded = scalar(
        migrated,
        "SELECT old.slug FROM milestone new JOIN milestone old ON old.id = new.supersedes_id "
        "WHERE new.slug = 'remaining-ndas-land-use-proposals-announced-2026'",
    )
    assert superseded == "remaining-ndas-land-use-proposals-announced"


def test_an_official_in_a_new_post_ends_the_old_one(migrated: Engine, tmp_path: Path) -> None:
    load_all(migrated, seed_dir_with(tmp_path / "seed", TWENTY_FIFTH))
    posts = rows(
        migrated,
        "SELECT p.title, p.held_from, p.held_until FROM post p JOIN official o ON o.id = p.official_id "
        "WHERE o.slug = 'cheung-kwok-kwan' ORDER BY p.held_from",
    )
    assert [(title, str(start), str(end)) for title, start, end in posts] == [
        ("Deputy Secretary for Justice", "2024-07-12", "2025-09-18"),
        ("Secretary for Justice", "2025-09-18", "None"),
    ]
    # A post already held gains the later document as a further source.
    assert rows(
        migrated,
        "SELECT d.slug FROM post_source s JOIN post p ON p.id = s.post_id JOIN document d ON d.id = s.document_id "
        "JOIN official o ON o.id = p.official_id WHERE o.slug = 'john-lee'",
    ) == [("25th-plenary-fictional-press-release",)]


def test_removing_a_documents_files_removes_exactly_what_it_contributed(
    migrated: Engine, tmp_path: Path, database_url_factory: Callable[[str], str]
) -> None:
    both = seed_dir_with(tmp_path / "both", TWENTY_FIFTH, UPDATE)
    load_all(migrated, both)
    for suffix in (".yaml", ".txt"):
        (both / f"{UPDATE}{suffix}").unlink()
    load_all(migrated, both)
    removed = dump(migrated)

    fresh_dir = seed_dir_with(tmp_path / "fresh", TWENTY_FIFTH)
    fresh = dump_after_fresh_load(database_url_factory(migrated.dialect.name), fresh_dir)
    skip = {"search_entry", "data_revision"}  # search entry ids follow the load's history
    assert {k: v for k, v in removed.items() if k not in skip} == {k: v for k, v in fresh.items() if k not in skip}


def _refused(engine: Engine, seed_dir: Path, *expected: str) -> None:
    before = dump(engine)
    with pytest.raises(SeedError) as raised:
        load_all(engine, seed_dir)
    message = str(raised.value)
    for fragment in expected:
        assert fragment in message, message
    assert dump(engine) == before  # nothing loaded


BAD_FOLLOWUPS: dict[str, tuple[Callable[[dict[str, Any]], None], tuple[str, ...]]] = {
    "unknown slug": (
        lambda d: d["status_updates"][0].update(initiative="no-such-initiative"),
        ("status_updates[0]", "unknown initiative 'no-such-initiative'"),
    ),
    "quote not in the document": (
        lambda d: d["status_updates"][1].update(quote="words the fictional document never says"),
        ("status_updates[1]", "quote not found in the text"),
    ),
    "effective date after publication": (
        lambda d: d["status_updates"][2].update(
            quote="will launch a cross-boundary drone delivery pilot next year", when="next year"
        ),
        ("status_updates[2]", "is after the document's date (2025-09-18)"),
    ),
    "redefining an earlier record": (
        lambda d: d["areas"].append(
            {"slug": "healthcare", "name": "Healthcare", "heading": "Healthcare", "summary": "Again."}
        ),
        ("areas[1] (healthcare)", "already defined by 24th-plenary.yaml; refer to it by its slug"),
    ),
    "supersession cycle": (
        lambda d: (
            d["milestones"].append(
                {
                    "slug": "drone-pilot-other-target",
                    "label": "A target that supersedes the drone target, which supersedes it back",
                    "kind": "target",
                    "when": "next year",
                    "area": "low-altitude-economy",
                    "initiative": "cross-boundary-drone-delivery-pilot",
                    "supersedes": "cross-boundary-drone-delivery-pilot-launched",
                    "quote": "will launch a cross-boundary drone delivery pilot next year",
                }
            )
            or d["milestones"][2].update(supersedes="drone-pilot-other-target")
        ),
        ("makes a cycle",),
    ),
    "a figure slug that is a fixed path of /metrics": (
        lambda d: d["metrics"][0].update(slug="summary"),
        ("metrics[0] (summary)", "slug 'summary' is the API's fixed path /metrics/summary"),
    ),
    "a figure slug that is the series listing's path": (
        lambda d: d["metrics"][0].update(slug="series"),
        ("metrics[0] (series)", "fixed path /metrics/series", "unreachable"),
    ),
    "a unit that differs from its series": (
        lambda d: d["metrics"][0].update(unit="persons"),
        ("metrics[0]", "differs from series 'northbound-travel-participating-cars'"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_FOLLOWUPS))
def test_a_bad_followup_loads_nothing_and_names_file_record_and_reason(
    migrated: Engine, tmp_path: Path, case: str
) -> None:
    load_all(migrated, SEED_DIR)
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH)
    edit, expected = BAD_FOLLOWUPS[case]
    edit_seed(seed, TWENTY_FIFTH, edit)
    _refused(migrated, seed, f"{TWENTY_FIFTH}.yaml", *expected)


def test_two_documents_with_the_same_slug_are_refused(migrated: Engine, tmp_path: Path) -> None:
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE)
    edit_seed(seed, UPDATE, lambda d: d["document"].update(slug="25th-plenary-fictional-press-release"))
    _refused(migrated, seed, "is used by 2 files")


def test_a_followup_cannot_refer_to_a_record_of_a_later_document(migrated: Engine, tmp_path: Path) -> None:
    seed = seed_dir_with(tmp_path / "seed", TWENTY_FIFTH, UPDATE)
    edit_seed(seed, UPDATE, lambda d: d["document"].update(published_on="2025-01-01"))
    # Now the update comes first and names the drone pilot, which the 25th Plenary defines.
    _refused(migrated, seed, "unknown initiative 'cross-boundary-drone-delivery-pilot'")
