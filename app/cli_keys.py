"""`coop keys create | list | revoke`: the API keys curators write with (app/curation/keys.py)."""

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.cli import EXIT_BAD_INPUT, _engine, _fail, _settings, console
from app.models.vocab import KeyScope

keys = typer.Typer(
    name="keys",
    help="API keys for writing (curate) and reading the audit (admin). Keys are stored hashed.",
    no_args_is_help=True,
)


def _expiry(value: str | None) -> datetime | None:
    """A date (the key stops working at its first moment, UTC) or an ISO date-time; never past."""
    if value is None:
        return None
    try:
        moment = (
            datetime.combine(date.fromisoformat(value), time(), UTC)
            if len(value) == 10
            else datetime.fromisoformat(value)
        )
    except ValueError:
        _fail(f"--expires {value!r} is not an ISO date (2027-01-31) or date-time", EXIT_BAD_INPUT)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment <= datetime.now(UTC):
        _fail(f"--expires {value!r} is in the past", EXIT_BAD_INPUT)
    return moment


@keys.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who or what uses the key; shown as recorded_by and in the audit.")],
    scope: Annotated[KeyScope, typer.Option(help="curate: write records; admin: also read the audit.")],
    expires: Annotated[str | None, typer.Option(help="Date (UTC) from which the key no longer works.")] = None,
) -> None:
    """Make a key and print it, once: only its hash is kept, so it cannot be shown again."""
    from app.curation.keys import KeyRefused, create_key

    if not name.strip() or len(name) > 120:
        _fail("--name must be 1 to 120 characters", EXIT_BAD_INPUT)
    expires_at = _expiry(expires)
    try:
        key = create_key(_engine(_settings()), name.strip(), scope, expires_at)
    except KeyRefused as error:
        _fail(str(error), EXIT_BAD_INPUT)
    console.print(f"key {name!r} ({scope.value}) created; it is shown only now:", highlight=False)
    print(key)  # alone on stdout, for a script to capture


@keys.command("list")
def list_() -> None:
    """Every key: name, public prefix, scope, created, expires, revoked (never the key)."""
    from app.curation.keys import list_keys

    table = Table(title="API keys")
    for column in ("name", "prefix", "scope", "created", "expires", "revoked"):
        table.add_column(column)
    for key in list_keys(_engine(_settings())):
        table.add_row(
            key.name,
            key.prefix,
            key.scope,
            f"{key.created_at:%Y-%m-%d %H:%M}",
            "" if key.expires_at is None else f"{key.expires_at:%Y-%m-%d %H:%M}",
            "" if key.revoked_at is None else f"{key.revoked_at:%Y-%m-%d %H:%M}",
        )
    Console(width=200).print(table)


@keys.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The key's name or its public prefix.")]) -> None:
    """Revoke a key at once (every worker refuses it from its next request); it stays listed."""
    from app.curation.keys import KeyRefused, revoke_key

    try:
        revoked = revoke_key(_engine(_settings()), name)
    except KeyRefused as error:
        _fail(str(error), EXIT_BAD_INPUT)
    console.print(f"key {revoked!r} revoked", highlight=False)
