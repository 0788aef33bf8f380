"""`coop keys create | list | revoke`: a key printed once (stored only as a hash), listed by name
and prefix, revoked at once; a key made on the command line opens the API's writes."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from app.cli import cli
from app.curation.keys import prefix_of, verify_key
from app.settings import get_settings
from tests.conftest import make_api


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'coop.db'}"
    assert coop(url, "migrate").exit_code == 0
    return url


def coop(database: str, *args: str):  # type: ignore[no-untyped-def]
    get_settings.cache_clear()
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database, "COLUMNS": "200"}, prog_name="coop")


def test_a_key_is_printed_once_and_stored_as_a_hash(database: str) -> None:
    result = coop(database, "keys", "create", "--name", "alice", "--scope", "curate")
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    prefix = prefix_of(key)
    assert prefix is not None
    engine = create_engine(database)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM api_key")).mappings().one()
        assert key not in str(dict(stored))
        assert stored["prefix"] == prefix
        caller = verify_key(connection, key, datetime.now(UTC))
        assert caller is not None and (caller.name, caller.scope.value) == ("alice", "curate")
    listing = coop(database, "keys", "list")
    assert "alice" in listing.output and prefix in listing.output and key not in listing.output


def test_names_are_unique_scopes_closed_and_expiry_in_the_future(database: str) -> None:
    assert coop(database, "keys", "create", "--name", "bob", "--scope", "admin").exit_code == 0
    again = coop(database, "keys", "create", "--name", "bob", "--scope", "admin")
    assert again.exit_code == 2 and "exists already" in again.output
    assert coop(database, "keys", "create", "--name", "eve", "--scope", "root").exit_code == 2
    past = coop(database, "keys", "create", "--name", "eve", "--scope", "curate", "--expires", "2020-01-01")
    assert past.exit_code == 2 and "in the past" in past.output
    future = coop(database, "keys", "create", "--name", "eve", "--scope", "curate", "--expires", "2999-01-01")
    assert future.exit_code == 0
    assert "2999-01-01" in coop(database, "keys", "list").output


def test_a_revoked_key_is_refused_at_once(database: str, portal: BlockingPortal) -> None:
    key = coop(database, "keys", "create", "--name", "carol", "--scope", "curate").stdout.strip().splitlines()[-1]
    engine = create_engine(database)
    api = make_api(portal, engine)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    assert api.request("POST", "/documents", content=b"{}", headers=headers).status_code == 422  # past the key
    revoked = coop(database, "keys", "revoke", "carol")
    assert revoked.exit_code == 0, revoked.output
    assert api.request("POST", "/documents", content=b"{}", headers=headers).status_code == 401
    twice = coop(database, "keys", "revoke", prefix_of(key) or "")
    assert twice.exit_code == 2 and "revoked already" in twice.output
    assert coop(database, "keys", "revoke", "nobody").exit_code == 2
