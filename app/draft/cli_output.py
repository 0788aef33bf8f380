"""What `coop draft` shows and writes: its progress bar, the files, the summary tables."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.draft.emit import SECTIONS, to_yaml
from app.draft.run import Draft

__all__ = ["print_summary", "progress_bar", "write_draft"]

LONG_INPUT = 10_000  # bytes: shorter releases draft in a blink, without a bar


@contextmanager
def progress_bar(console: Console, file: Path, steps: int) -> Iterator[Callable[[str], None]]:
    long = file.is_file() and file.stat().st_size >= LONG_INPUT
    columns = (TextColumn("drafting {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not long) as progress:
        task = progress.add_task(file.name, total=steps)

        def advance(step: str) -> None:
            progress.update(task, advance=1, description=f"{file.name}: {step}")

        yield advance


def write_draft(result: Draft, source: Path, output: Path | None, *, force: bool) -> list[Path]:
    """Write the seed file and, beside it, the text its quotes are in; return both paths."""
    slug = result.seed["document"]["slug"]
    seed_path = output if output is not None else source.parent / f"{slug}.yaml"
    text_path = seed_path.parent / result.seed["document"]["file"]
    same_text = text_path.exists() and text_path.resolve() == source.resolve()
    for path in (seed_path, text_path):
        if path.exists() and not force and not (path == text_path and same_text):
            raise FileExistsError(str(path))
    seed_path.parent.mkdir(parents=True, exist_ok=True)
    if not same_text:
        text_path.write_text(result.source_text, encoding="utf-8")
    seed_path.write_text(to_yaml(result.seed, source.name), encoding="utf-8")
    return [seed_path, text_path]


def print_summary(console: Console, result: Draft, written: list[Path]) -> None:
    table = Table(title=f"drafted {written[0]} (text: {written[1].name})")
    for column in ("kind", "new (draft)", "linked to the register"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    drafted = {section: len(result.book.section(section)) for section in SECTIONS}
    for section in SECTIONS:
        new, linked = drafted[section], result.book.linked.get(section, 0)
        if new or linked:
            table.add_row(section, str(new), str(linked))
    console.print(table)
    reasons = {u.expression: u.reason for u in result.book.unplaced}
    unplaced = Table(title="numbers and dates no drafted record accounts for")
    for column in ("expression", "why", "sentence"):
        unplaced.add_column(column, overflow="fold")
    for expression, sentence in result.uncovered:
        words = expression.split(" ", 1)[1].strip("'\"")
        reason = reasons.get(words, "no rule placed it")
        unplaced.add_row(expression, reason, sentence if len(sentence) <= 160 else sentence[:157] + "...")
    listed = {expression.split(" ", 1)[1].strip("'\"") for expression, _ in result.uncovered}
    for u in result.book.unplaced:  # date phrases the resolver refused, beyond the scanner's view
        if "date" in u.reason and u.expression not in listed:
            unplaced.add_row(f"date {u.expression!r}", u.reason, u.sentence[:160])
    console.print(unplaced)
