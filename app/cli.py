"""The command-line tool: `coop migrate | seed | serve` (also `python -m app`)."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.settings import get_settings

cli = typer.Typer(
    name="coop",
    help="The Hong Kong/Guangdong co-operation commitments register.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True)


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[red]error:[/red] {message}", soft_wrap=True, markup=True, highlight=False)
    raise typer.Exit(code)


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision (default: the newest).")] = "head",
) -> None:
    """Apply the Alembic migrations to DATABASE_URL (default ./var/coop.db)."""
    from sqlalchemy.exc import OperationalError

    from app.db.engine import make_engine
    from app.db.migrate import upgrade

    engine = make_engine(get_settings())
    try:
        upgrade(engine, revision)
    except OperationalError as error:
        _fail(f"cannot reach the database: {error.orig}")
    console.print(f"migrated to {revision}")


@cli.command()
def seed(
    seed_dir: Annotated[Path | None, typer.Option("--dir", help="Folder of seed files (default: ./seed).")] = None,
) -> None:
    """Load the curated seed files; idempotent, all-or-nothing."""
    from sqlalchemy.exc import OperationalError

    from app.db.engine import make_engine
    from app.loader.errors import SeedError
    from app.loader.load import load_all

    settings = get_settings()
    engine = make_engine(settings)
    try:
        with console.status("loading seed files ..."):
            changes = load_all(engine, seed_dir or settings.seed_dir)
    except SeedError as error:
        _fail(f"nothing was loaded. {error}", code=2)
    except OperationalError as error:
        _fail(f"cannot use the database (migrated? run `coop migrate`): {error.orig}")
    table = Table(title="seed loaded" if changes.any else "seed already loaded: nothing changed")
    for column in ("table", "inserted", "updated", "deleted", "unchanged"):
        table.add_column(column, justify="left" if column == "table" else "right")
    tables = sorted(set(changes.inserted) | set(changes.updated) | set(changes.deleted) | set(changes.unchanged))
    for name in tables:
        table.add_row(
            name,
            *(str(c[name]) for c in (changes.inserted, changes.updated, changes.deleted, changes.unchanged)),
        )
    Console().print(table)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default PORT or 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default WORKERS or 1).")] = None,
) -> None:
    """Serve the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        timeout_keep_alive=5,
        limit_concurrency=1000,
        h11_max_incomplete_event_size=16 * 1024,
    )


def main() -> None:
    cli(prog_name="coop")


if __name__ == "__main__":
    main()
