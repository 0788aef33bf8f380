"""One drafting run: read, clean, find the date, draft each kind of record, emit."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.draft import agreements, document, exclusions, figures, initiatives, milestones, organisations, people
from app.draft.book import Book, Context, slugify
from app.draft.clean import clean_title, prepare
from app.draft.dates import publication_date
from app.draft.emit import seed_dict, uncovered
from app.draft.register import Register
from app.draft.source import read_source
from app.loader.records import SeedFile

__all__ = ["Draft", "draft"]

Progress = Callable[[str], None]


@dataclass
class Draft:
    seed: dict[str, Any]  # the seed file, as YAML will hold it
    text: str  # the text as the loader reads it (quotes index into it)
    source_text: str  # the source text to write as <slug>.txt (cleaned by the loader when read)
    book: Book
    uncovered: list[tuple[str, str]]  # (expression, sentence) no record accounts for


STEPS = ("read", "document", "people", "figures", "dates", "check")


def draft(
    path: Path,
    register: Register,
    *,
    published_on: date | None = None,
    slug: str | None = None,
    progress: Progress = lambda step: None,
) -> Draft:
    """Draft a seed file from the press release at `path`. Raises UnreadableInput (no text)
    or NoPublicationDate (none found and none given)."""
    source = read_source(path)
    prepared = prepare(source.text)
    if source.title:
        prepared.title = clean_title(source.title)
    progress("read")
    if published_on is None:
        published_on, date_rule = publication_date(prepared.plain, prepared.title)
    else:
        date_rule = "--published-on"
    slug = slug or slugify(path.stem)
    register = register.before(published_on, slug)
    book = Book()
    ctx = Context(prepared, published_on, register, book, slug)
    text_name = f"{slug}.txt"
    document_record = document.draft_document(ctx, text_name, source.from_html, date_rule)
    document.draft_meeting(ctx)
    document.draft_areas(ctx)
    progress("document")
    sentences = prepared.sentences
    everything = sentences + prepared.bullets
    organisations.draft_organisations(ctx, everything)
    organisations.draft_places(ctx, everything)
    people.draft_people(ctx, sentences)
    progress("people")
    agreements.draft_agreements(ctx)
    initiatives.draft_initiatives(ctx)
    figures.draft_figures(ctx, sentences)
    progress("figures")
    milestones.draft_milestones(ctx, everything, reached=ctx.reached_sentences)
    progress("dates")
    exclusions.draft_exclusions(ctx, document_record)
    seed = seed_dict(document_record, book)
    missed = uncovered(SeedFile.model_validate(seed), prepared.text)
    progress("check")
    return Draft(seed, prepared.text, source.text, book, missed)
