"""The loader: idempotent, all-or-nothing, and precise about what is wrong."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, text

from app.db.migrate import upgrade
from app.loader.errors import SeedError
from app.loader.junk import is_junk_line
from app.loader.load import load_all
from tests.conftest import SEED_DIR
from tests.helpers import dump

# A fictional press release about photovoltaic roofs, with the junk lines of a pasted one.
PHOTOVOLTAIC_SEED_DIR = Path(__file__).parent / "fixtures" / "photovoltaic"


@pytest.fixture
def migrated(empty_engine: Engine) -> Engine:
    upgrade(empty_engine)
    return empty_engine


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def _edit(seed_dir: Path, edit: Any) -> None:
    path = next(seed_dir.glob("*.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.slow  # loads the seed twice on each engine
def test_a_second_load_changes_nothing(migrated: Engine) -> None:
    first = load_all(migrated, SEED_DIR)
    assert first.any
    before = dump(migrated)
    second = load_all(migrated, SEED_DIR)
    assert not second.any
    assert dump(migrated) == before


def test_a_bad_record_loads_nothing_and_names_the_record(migrated: Engine, seed_copy: Path) -> None:
    def break_a_quote(data: dict[str, Any]) -> None:
        data["metrics"][2]["quote"] = "words that are nowhere in the press release"

    _edit(seed_copy, break_a_quote)
    slug = yaml.safe_load(next(seed_copy.glob("*.yaml")).read_text())["metrics"][2]["slug"]
    with pytest.raises(SeedError) as error:
        load_all(migrated, seed_copy)
    assert f"metrics[2] ({slug})" in str(error.value)
    assert "quote not found" in str(error.value)
    assert all(rows == [] for rows in dump(migrated).values())


@pytest.mark.slow  # loads the seed twice on each engine
def test_a_bad_reload_leaves_the_loaded_data_as_it_was(migrated: Engine, seed_copy: Path) -> None:
    load_all(migrated, SEED_DIR)
    before = dump(migrated)

    def break_a_reference(data: dict[str, Any]) -> None:
        data["initiatives"][0]["title"] = "A changed title that must not land"
        data["milestones"][-1]["area"] = "no-such-area"

    _edit(seed_copy, break_a_reference)
    with pytest.raises(SeedError, match="unknown area 'no-such-area'"):
        load_all(migrated, seed_copy)
    assert dump(migrated) == before


@pytest.mark.slow  # a database per kind (the fast suite keeps test_a_bad_record_loads_nothing_...)
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["metrics"][0].update(unit="furlongs"), "metrics[0]"),
        (lambda d: d["milestones"][0].update(when="at some point"), "not in its quote"),
        (lambda d: d["initiatives"].append(dict(d["initiatives"][0])), "used twice"),
        (lambda d: d["areas"][0].update(summary="Bad \ufffd text"), "replacement character"),
        (lambda d: d["areas"][0].update(summary="A summary\nPhoto\xa0\xa0Photo"), "photo-link line"),
        (
            lambda d: d["organisations"][0].update(parent="no-such-organisation"),
            "unknown organisation",
        ),
        (lambda d: d["metrics"][0].update(colour="blue"), "Extra inputs"),
    ],
)
def test_each_kind_of_bad_record_is_reported(migrated: Engine, seed_copy: Path, edit: Any, message: str) -> None:
    _edit(seed_copy, edit)
    with pytest.raises(SeedError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_all(migrated, seed_copy)


@pytest.mark.slow  # loads the seed twice on each engine
def test_an_edited_record_is_updated_in_place_and_a_removed_one_deleted(migrated: Engine, seed_copy: Path) -> None:
    load_all(migrated, SEED_DIR)
    data = yaml.safe_load(next(seed_copy.glob("*.yaml")).read_text())
    kept, removed = data["metrics"][0]["slug"], data["metrics"][1]["slug"]
    with migrated.connect() as connection:
        kept_id = connection.execute(text("SELECT id FROM metric WHERE slug = :s"), {"s": kept}).scalar_one()

    def edit(d: dict[str, Any]) -> None:
        d["metrics"][0]["label"] = "Relabelled"
        del d["metrics"][1]

    _edit(seed_copy, edit)
    changes = load_all(migrated, seed_copy)
    assert changes.updated["metric"] == 1 and changes.deleted["metric"] == 1
    with migrated.connect() as connection:
        row = connection.execute(text("SELECT id, label FROM metric WHERE slug = :s"), {"s": kept}).one()
        gone = connection.execute(text("SELECT count(*) FROM metric WHERE slug = :s"), {"s": removed}).scalar_one()
        entries = connection.execute(
            text("SELECT count(*) FROM search_entry WHERE resource = 'metrics' AND slug = :s"),
            {"s": removed},
        ).scalar_one()
    assert tuple(row) == (kept_id, "Relabelled")
    assert gone == 0 and entries == 0


def test_no_record_holds_garbled_text_or_photo_links(seeded_engine: Engine) -> None:
    for table, rows in dump(seeded_engine).items():
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert "\ufffd" not in value, table
                    assert not [line for line in value.splitlines() if is_junk_line(line)], table


def test_a_document_about_photovoltaic_panels_loads_without_its_junk(migrated: Engine) -> None:
    load_all(migrated, PHOTOVOLTAIC_SEED_DIR)
    with migrated.connect() as connection:
        document = connection.execute(text("SELECT id, title, text FROM document")).one()
        title = connection.execute(text("SELECT title FROM initiative")).scalar_one()
        quotes = connection.execute(text("SELECT quote, quote_start, quote_end FROM metric")).all()
    assert document.title == "Photovoltaic roofs for the ferry piers announced"
    assert title == "Photovoltaic Pier Scheme"
    lines = document.text.splitlines()
    assert "Clean Energy" in lines and "Photovoltaic roofs for the ferry piers announced (with photos)" in lines
    assert "\ufffd" not in document.text
    assert not {"(Photo)", "Photos"} & set(lines)
    assert lines[-1].strip() == "Ends/Monday, March 3, 2031"  # the row of photo links is gone
    assert "A photographer will record each installation" in document.text
    assert [document.text[start:end] for _, start, end in quotes] == [quote for quote, _, _ in quotes]
