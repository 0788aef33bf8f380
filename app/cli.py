"""The command-line tool: `coop migrate | seed | draft | synth | serve | export | keys` (also `python -m app`)."""

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine

from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.export.datapackage import ExportedTable

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

cli = typer.Typer(
    name="coop",
    help="The Hong Kong/Guangdong co-operation commitments register.\n\n"
    "The database is DATABASE_URL (default: the SQLite file ./var/coop.db); settings are read "
    "from the environment and ./.env. A fresh start: coop migrate && coop seed && coop serve.",
    epilog="Exit codes: 0 done; 1 failed (e.g. the database is unreachable); "
    "2 bad input (arguments, settings or seed files). Errors are one line on stderr; "
    "set COOP_TRACEBACK=1 to see the traceback of an unexpected one.",
    no_args_is_help=True,
    rich_markup_mode="markdown",  # reflows the docstrings' paragraphs to the terminal
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(stderr=True)


def _fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())
        _fail(f"invalid setting: {problems}", EXIT_BAD_INPUT)


def _engine(settings: Settings) -> Engine:
    from sqlalchemy.exc import ArgumentError

    from app.db.engine import make_engine

    try:
        # No statement timeout: it guards the API's requests; a migration, load or export may take longer.
        return make_engine(settings, statement_timeout=False)
    except ArgumentError as error:
        _fail(f"DATABASE_URL is not a usable database URL: {error}", EXIT_BAD_INPUT)


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Alembic revision to go to (default: head, the newest).")] = "head",
) -> None:
    """Create or upgrade the database schema (Alembic migrations).

    Safe to run again: a database already at REVISION is left as it is.
    """
    from alembic.util import CommandError
    from sqlalchemy.exc import OperationalError

    from app.db.migrate import upgrade

    engine = _engine(_settings())
    try:
        upgrade(engine, revision)
    except OperationalError as error:
        _fail(f"cannot reach the database: {error.orig}")
    except CommandError as error:
        _fail(f"cannot migrate to {revision!r}: {error}", EXIT_BAD_INPUT)
    console.print(f"migrated to {revision}")


@cli.command()
def seed(
    seed_dir: Annotated[
        Path | None,
        typer.Option("--dir", help="Folder of seed files, *.yaml beside their texts (default: ./seed)."),
    ] = None,
    accept_drafts: Annotated[
        bool,
        typer.Option("--accept-drafts", help="Load records still marked as drafts by `coop draft` (a preview)."),
    ] = False,
) -> None:
    """Load the curated seed files into a migrated database.

    Idempotent and all-or-nothing: every record is checked (its quote must be in the source
    text) before anything is written; a bad seed loads nothing and exits 2. Records still
    marked as drafts (`coop draft`) are refused, each listed, unless --accept-drafts.
    """
    from sqlalchemy.exc import OperationalError

    from app.loader.errors import SeedError
    from app.loader.load import load_all

    settings = _settings()
    engine = _engine(settings)
    try:
        with console.status("loading seed files ..."):
            changes = load_all(engine, seed_dir or settings.seed_dir, accept_drafts=accept_drafts)
    except SeedError as error:
        _fail(f"nothing was loaded. {error}", EXIT_BAD_INPUT)
    except OperationalError as error:
        _fail(f"cannot use the database (migrated? run `coop migrate`): {error.orig}")
    table = Table(title="seed loaded" if changes.any else "seed already loaded: nothing changed")
    for column in ("table", "inserted", "updated", "deleted", "unchanged"):
        table.add_column(column, justify="left" if column == "table" else "right")
    counts = (changes.inserted, changes.updated, changes.deleted, changes.unchanged)
    for name in sorted(set().union(*counts)):
        table.add_row(name, *(str(count[name]) for count in counts))
    Console().print(table)


@cli.command()
def synth(
    initiatives: Annotated[int, typer.Option(min=1, help="Initiatives to make; the rest is proportional.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and scale give the same data.")] = 1,
) -> None:
    """Fill a migrated, empty database with synthetic records (for benchmarks and capacity tests).

    Per initiative: 5 metrics, 3 milestones and a lead organisation; one agreement per 10
    initiatives, one organisation per 100, one official per 200; search entries for all.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn
    from sqlalchemy.exc import OperationalError

    from app.db.engine import make_engine
    from app.synth import Scale, synthesise
    from app.synth.fill import SynthError

    engine = make_engine(get_settings(), statement_timeout=False)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    try:
        with Progress("initiatives", *columns, console=console) as progress:
            task = progress.add_task("synth", total=initiatives)
            synthesise(engine, Scale(initiatives), seed, lambda n: progress.advance(task, n))
    except SynthError as error:
        _fail(str(error), code=2)
    except OperationalError as error:
        _fail(f"cannot use the database: {error.orig}")
    console.print(f"synthesised {initiatives} initiatives (seed {seed})")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: PORT or 8000).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (default: WORKERS or 1).")] = None,
) -> None:
    """Serve the API with uvicorn; docs at /docs and /redoc.

    Logs are JSON lines on stderr, one per request (method, path, status, duration_ms,
    request_id), at LOG_LEVEL (default info). Timeouts and limits against slow or abusive
    clients are settings, listed in docs/RELIABILITY.md.
    """
    import uvicorn

    from app.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "app.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level=settings.log_level,
        # Our JSON handler formats uvicorn's own records; the app logs every request itself.
        log_config=None,
        access_log=False,
        proxy_headers=True,
        # The h11 protocol with request-head and send-stall deadlines (app/serving.py).
        http="app.serving:DeadlineH11Protocol",
        timeout_keep_alive=settings.keep_alive_timeout_s,
        timeout_graceful_shutdown=settings.graceful_shutdown_timeout_s,
        # Past this many open connections or tasks, uvicorn answers 503 at once instead of queueing.
        limit_concurrency=1000,
        # A backstop: the app refuses smaller heads with a 414/431 problem (app/api/limits.py).
        h11_max_incomplete_event_size=2 * (settings.max_url_bytes + settings.max_header_bytes),
        server_header=False,
    )


@cli.command()
def export(
    folder: Annotated[
        Path,
        typer.Argument(help="Folder to write into; created if missing, must be empty unless --force."),
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="Write into a folder that already has files (overwriting them)."),
    ] = False,
    seed: Annotated[
        bool,
        typer.Option("--seed", help="Write what curators recorded through the API, in the seed format, instead."),
    ] = False,
) -> None:
    """Export the whole database as a Frictionless Data Package (or, with --seed, the API's records).

    Writes one RFC 4180 CSV per table and datapackage.json, which describes every table
    with a Table Schema: field types, primary and foreign keys, vocabularies. Check it with
    `frictionless validate FOLDER/datapackage.json`.

    With --seed: each document recorded through the API as FOLDER/<slug>.txt and <slug>.yaml (review
    them, then commit them to seed/), and what was recorded quoting a seed document as
    <slug>.additions.yaml.txt, to merge into that document's seed file.
    """
    from sqlalchemy.exc import OperationalError

    from app.export.datapackage import DESCRIPTOR

    if folder.exists() and not folder.is_dir():
        _fail(f"{folder} is a file, not a folder", EXIT_BAD_INPUT)
    if folder.is_dir() and any(folder.iterdir()) and not force:
        _fail(f"{folder} is not empty; choose another folder or pass --force", EXIT_BAD_INPUT)
    engine = _engine(_settings())
    if seed:
        _export_seed(engine, folder)
        return
    try:
        tables = _export_into(engine, folder)
    except OperationalError as error:
        _fail(f"cannot read the database (migrated? run `coop migrate`): {error.orig}")
    except OSError as error:
        _fail(f"cannot write to {folder}: {error.strerror or error}")
    summary = Table(title=f"exported to {folder / DESCRIPTOR}")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for table in tables:
        summary.add_row(table.name, str(table.rows))
    Console().print(summary)


def _export_seed(engine: Engine, folder: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from app.export.seed import export_seed

    folder.mkdir(parents=True, exist_ok=True)
    try:
        exported = export_seed(engine, folder)
    except OperationalError as error:
        _fail(f"cannot read the database (migrated? run `coop migrate`): {error.orig}")
    summary = Table(title=f"records recorded through the API, exported to {folder}")
    summary.add_column("document")
    summary.add_column("file")
    summary.add_column("records", justify="right")
    for item in exported:
        summary.add_row(item.document, item.path.name, str(item.records))
    Console().print(summary)


def _export_into(engine: Engine, folder: Path) -> list["ExportedTable"]:
    """Export aside, then move the files in: a failed export leaves no half-written package."""
    from app.export.datapackage import export_datapackage

    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".coop-export-", dir=folder))
    try:
        tables = export_datapackage(engine, staging)
        for path in staging.iterdir():
            path.replace(folder / path.name)
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tables


@cli.command()
def draft(
    file: Annotated[Path, typer.Argument(help="The press release: plain text, or a saved HTML page.")],
    published_on: Annotated[
        str | None,
        typer.Option("--published-on", help="Publication date, YYYY-MM-DD (default: read from the text)."),
    ] = None,
    slug: Annotated[str | None, typer.Option(help="The document's slug (default: from FILE's name).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The seed file to write (default: SLUG.yaml beside FILE)."),
    ] = None,
    register: Annotated[
        Path | None,
        typer.Option(help="Folder of the seed files whose records the draft links to (default: ./seed)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Draft a seed file from a press release, for a curator to review.

    Writes the seed file and, beside it, the text its quotes come from (SLUG.txt). Every
    record is marked `draft:` with a confidence and its reason; mentions of records the
    register (the seed files in --register) already holds become references and statements.
    Prints what was drafted per kind, and every number or date it could not place.
    """
    from datetime import date

    from app.draft.cli_output import print_summary, progress_bar, write_draft
    from app.draft.dates import NoPublicationDate
    from app.draft.register import read_register
    from app.draft.run import STEPS
    from app.draft.run import draft as draft_release
    from app.draft.source import UnreadableInput
    from app.loader.errors import SeedError
    from app.loader.records import Slug

    given_date = None
    if published_on is not None:
        try:
            given_date = date.fromisoformat(published_on)
        except ValueError:
            _fail(f"--published-on {published_on!r} is not a date (YYYY-MM-DD)", EXIT_BAD_INPUT)
    if slug is not None:
        from pydantic import TypeAdapter

        try:
            TypeAdapter(Slug).validate_python(slug)
        except ValidationError:
            _fail(f"--slug {slug!r} is not a slug (lowercase letters, digits and single hyphens)", EXIT_BAD_INPUT)
    if not file.is_file():
        _fail(f"{file}: no such file", EXIT_BAD_INPUT)
    try:
        known = read_register(register if register is not None else _settings().seed_dir)
    except SeedError as error:
        _fail(f"cannot read the register: {error}", EXIT_BAD_INPUT)
    try:
        with progress_bar(console, file, len(STEPS)) as advance:
            result = draft_release(file, known, published_on=given_date, slug=slug, progress=advance)
    except UnreadableInput as error:
        _fail(f"{file}: {error}", EXIT_BAD_INPUT)
    except NoPublicationDate as error:
        _fail(f"{file}: no publication date: {error}; give it with --published-on YYYY-MM-DD", EXIT_BAD_INPUT)
    try:
        written = write_draft(result, file, output, force=force)
    except FileExistsError as error:
        _fail(f"{error} exists; choose another -o or pass --force", EXIT_BAD_INPUT)
    except OSError as error:
        _fail(f"cannot write the draft: {error.strerror or error}")
    print_summary(Console(), result, written)


# Registered here, after the helpers it imports from this module are defined.
from app.cli_keys import keys  # noqa: E402

cli.add_typer(keys)


def main() -> None:
    try:
        cli(prog_name="coop")
    except Exception as error:  # the last resort: one line, not a traceback
        if os.environ.get("COOP_TRACEBACK"):
            raise
        console.print(
            f"[red]error:[/red] unexpected {type(error).__name__}: {escape(str(error))}",
            highlight=False,
        )
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
