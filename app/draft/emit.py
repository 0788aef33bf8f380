"""Write a draft as a seed file (YAML, the documented format) and summarise it."""

from typing import Any

import yaml

from app.draft.book import Book
from app.loader.completeness import check_coverage
from app.loader.records import SeedFile

__all__ = ["SECTIONS", "seed_dict", "to_yaml", "uncovered"]

SECTIONS = (
    "meetings", "areas", "places", "organisations", "officials", "posts", "participations", "initiatives",
    "status_updates", "agreements", "metrics", "milestones", "targets_reached", "exclusions",
)  # fmt: skip

_HEADER = """\
# DRAFT seed file written by `coop draft` from {source}: every record is unreviewed.
# Each record carries `draft: {{confidence, reason}}`: the rule that proposed it and the
# words it matched (a milestone's reason shows the interval and EDTF its date phrase was
# taken to mean). Check each record against the text, correct it, then delete its `draft:`
# mark; `coop seed` refuses records still marked (`coop seed --accept-drafts` previews them).
# Slugs of records the register already defines are references, not new records.
"""


def seed_dict(document: dict[str, Any], book: Book) -> dict[str, Any]:
    seed: dict[str, Any] = {"document": document}
    for section in SECTIONS:
        records = [d.as_yaml() for d in book.section(section)]
        if records:
            seed[section] = records
    return seed


def to_yaml(seed: dict[str, Any], source_name: str) -> str:
    body = yaml.safe_dump(seed, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    return _HEADER.format(source=source_name) + "\n" + body


def uncovered(seed: SeedFile, text: str) -> list[tuple[str, str]]:
    """The number and date expressions no drafted record accounts for (the completeness
    scan of app/loader/completeness.py), each with its sentence."""
    report = check_coverage(seed, text)
    found = []
    for expression in report.uncovered:
        line_start = text.rfind("\n", 0, expression.start) + 1
        line_end = text.find("\n", expression.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        at = expression.start - line_start
        left = max(line.rfind(". ", 0, at) + 2, 0) if line.rfind(". ", 0, at) >= 0 else 0
        right = line.find(". ", expression.end - line_start)
        sentence = line[left : right + 1 if right >= 0 else len(line)].strip()
        found.append((f"{expression.kind} {expression.text!r}", sentence))
    return found
