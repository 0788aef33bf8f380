"""The `coop` command line against a real SQLite file: clear help, one-line errors, exit
codes 0 (done), 1 (failed) and 2 (bad input), and an export with the tables, keys and
vocabularies described (that Frictionless accepts it: test_export_datapackage.py)."""

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli import cli, main
from app.settings import get_settings
from tests.conftest import SEED_DIR

COMMANDS = ("migrate", "seed", "draft", "serve", "export")


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    # Settings are read once per process; each test sets its own DATABASE_URL.
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coop.db'}"


def coop(database: str, *args: str, **env: str):  # type: ignore[no-untyped-def]
    get_settings.cache_clear()
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database, **env}, prog_name="coop")


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'coop.db'}"
    get_settings.cache_clear()
    assert coop(url, "migrate").exit_code == 0
    result = coop(url, "seed", "--dir", str(SEED_DIR))
    assert result.exit_code == 0, result.output
    yield url
    get_settings.cache_clear()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], prog_name="coop", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert f"Usage: coop {command}" in result.output
    assert len(result.output.splitlines()) > 6


def test_the_tool_lists_its_commands_and_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="coop", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    assert "Exit codes" in result.output


def test_an_unknown_command_is_bad_input() -> None:
    assert CliRunner().invoke(cli, ["frobnicate"], prog_name="coop").exit_code == 2


def test_migrate_then_seed_loads_the_seed(seeded_file: str) -> None:
    with create_engine(seeded_file).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM initiative")).scalar_one() > 0


def test_seeding_again_changes_nothing(seeded_file: str) -> None:
    result = coop(seeded_file, "seed", "--dir", str(SEED_DIR))
    assert result.exit_code == 0
    assert "nothing changed" in result.output


def test_an_unknown_revision_is_bad_input(database: str) -> None:
    result = coop(database, "migrate", "no-such-revision")
    assert result.exit_code == 2
    assert "no-such-revision" in result.output


def test_a_folder_without_seed_files_is_bad_input(database: str, tmp_path: Path) -> None:
    assert coop(database, "migrate").exit_code == 0
    result = coop(database, "seed", "--dir", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "nothing was loaded" in result.output


def test_seeding_an_unmigrated_database_fails_with_advice(database: str) -> None:
    result = coop(database, "seed", "--dir", str(SEED_DIR))
    assert result.exit_code == 1
    assert "coop migrate" in result.output
    assert "Traceback" not in result.output


def test_an_invalid_setting_is_bad_input(database: str) -> None:
    result = coop(database, "serve", PORT="eighty")
    assert result.exit_code == 2
    assert "PORT" in result.output


def test_a_port_out_of_range_is_bad_input(database: str) -> None:
    assert coop(database, "serve", "--port", "70000").exit_code == 2


def test_an_unusable_database_url_is_bad_input(tmp_path: Path) -> None:
    result = coop("nosuchdb://nowhere", "export", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "DATABASE_URL" in result.output


def test_export_describes_types_keys_and_vocabularies(seeded_file: str, tmp_path: Path) -> None:
    assert coop(seeded_file, "export", str(tmp_path)).exit_code == 0
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert "search_entry" not in resources  # a derived index, not data
    initiative = resources["initiative"]["schema"]
    fields = {field["name"]: field for field in initiative["fields"]}
    assert initiative["primaryKey"] == ["id"]
    assert {
        "fields": ["area_id"],
        "reference": {"resource": "area", "fields": ["id"]},
    } in initiative["foreignKeys"]
    assert fields["due_end"]["type"] == "date"
    assert "planned" in fields["status"]["constraints"]["enum"]
    assert fields["slug"]["constraints"] == {"required": True, "unique": True}
    metric = {field["name"]: field for field in resources["metric"]["schema"]["fields"]}
    assert metric["value"]["type"] == "number"


def test_export_csv_is_rfc_4180_with_one_row_per_record(seeded_file: str, tmp_path: Path) -> None:
    assert coop(seeded_file, "export", str(tmp_path)).exit_code == 0
    raw = (tmp_path / "document.csv").read_bytes()
    assert raw.count(b"\r\n") >= 2 and b"\r\n" in raw.split(b"\n")[0] + b"\n"
    with (tmp_path / "initiative.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    with create_engine(seeded_file).connect() as connection:
        assert len(rows) == connection.execute(text("SELECT count(*) FROM initiative")).scalar_one()
    [document] = list(csv.DictReader((tmp_path / "document.csv").open(newline="", encoding="utf-8")))
    assert "\n" in document["text"]  # multi-line text survives quoting


def test_export_refuses_a_folder_with_files_unless_forced(seeded_file: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = coop(seeded_file, "export", str(tmp_path))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert coop(seeded_file, "export", str(tmp_path), "--force").exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".coop-export-")]


def test_export_refuses_a_file_as_its_folder(seeded_file: str, tmp_path: Path) -> None:
    target = tmp_path / "package.zip"
    target.write_text("")
    assert coop(seeded_file, "export", str(target)).exit_code == 2


def test_export_of_an_unmigrated_database_fails_cleanly(database: str, tmp_path: Path) -> None:
    result = coop(database, "export", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "coop migrate" in result.output
    assert not (tmp_path / "out").exists()


def test_a_database_that_cannot_be_opened_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    # A folder where the database file should be: SQLite cannot open it.
    (tmp_path / "coop.db").mkdir()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'coop.db'}"}
    env.pop("COOP_TRACEBACK", None)
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_unexpected_error_is_one_line_not_a_traceback(
    seeded_file: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("the disk is haunted")

    monkeypatch.setattr("app.export.datapackage.export_datapackage", broken)
    monkeypatch.setattr(sys, "argv", ["coop", "export", str(tmp_path / "out")])
    monkeypatch.setenv("DATABASE_URL", seeded_file)
    monkeypatch.delenv("COOP_TRACEBACK", raising=False)
    get_settings.cache_clear()
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == ["error: unexpected RuntimeError: the disk is haunted"]
    assert not (tmp_path / "out").exists()
