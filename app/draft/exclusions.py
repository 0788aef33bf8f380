"""Numbers and ordinals the drafter leaves out on purpose, as `exclusions` with the reason,
so that what the summary lists as unplaced is what no rule understood."""

import re

from app.draft.book import Context
from app.draft.emit import seed_dict
from app.loader.completeness import Expression, ExpressionKind, check_coverage
from app.loader.records import SeedFile

__all__ = ["draft_exclusions"]

_NAME_AFTER = re.compile(r"(?:[ -](?:[A-Z][\w'&/-]*|of|for|and|the|with)){1,6}")
_PARTIES = re.compile(
    r"(?i)(?:the|both|these) (?:two|three|four) (?:places|sides|parties|governments|airports|hospitals|cities|regions|"
    r"bureaux|departments|institutions|universities)"
)


def _reason(plain: str, expression: Expression) -> tuple[str, str] | None:
    """(text, reason) for an expression a rule leaves out on purpose, else None."""
    start, end = expression.start, expression.end
    if plain[end : end + 1] == "-" or plain[start - 1 : start] == "-":
        word = re.search(r"[\w-]+$", plain[:start])
        tail = re.match(r"[\w-]+", plain[start:])
        text = (word.group() if word and plain[start - 1 : start] == "-" else "") + (tail.group() if tail else "")
        return text, "Part of a compound word, not a count."
    line_start = plain.rfind("\n", 0, start) + 1
    before = plain[line_start:start]
    if before.count('"') % 2 == 1:
        closing = plain.find('"', end)
        opening = plain.rfind('"', 0, start)
        if 0 <= closing - opening <= 150:
            return plain[opening + 1 : closing], "Inside a quoted name or slogan, not a count."
    parties = _PARTIES.search(plain, max(line_start, start - 10), end + 20)
    if parties and parties.start() <= start < parties.end():
        return parties.group(), "Counts parties named before, not a figure."
    if expression.kind is ExpressionKind.DATE:
        compared = re.search(r"(?i)the same period (?:of )?$", plain[max(line_start, start - 20) : start])
        if compared:
            return plain[start - len(compared.group()) : end], "A period compared with, not a date of its own."
        if re.search(r"(?i)\b(?:in|over|during) the $", plain[max(line_start, start - 12) : start]) and re.match(
            r"(?i)past", expression.text
        ):
            return plain[start - len("the ") : end], "A span looking back from the release, not a date."
        if expression.text.lower() == "today":
            return plain[max(line_start, start - 5) : end].lstrip(), "The publication day, recorded once."
    if expression.kind is ExpressionKind.ORDINAL:
        name = _NAME_AFTER.match(plain, end)
        if name and name.group().strip()[:1].isupper():
            text = plain[start : name.end()].rstrip(" -")
            return re.sub(r"(?: (?:of|for|and|the|with))+$", "", text), "Ordinal or edition in a name, not a figure."
        if re.match(r" time\b", plain[end : end + 5]):
            return plain[start : end + 5], "A phrase ('for the first time'), not a count."
    return None


def draft_exclusions(ctx: Context, document: dict[str, object]) -> None:
    seed = SeedFile.model_validate(seed_dict(dict(document), ctx.book))
    report = check_coverage(seed, ctx.prepared.text)
    done: set[str] = set()
    for expression in report.uncovered:
        found = _reason(ctx.prepared.plain, expression)
        if found is None:
            continue
        text, reason = found
        verbatim = ctx.prepared.text[ctx.prepared.plain.find(text) :][: len(text)] if text in ctx.prepared.plain else ""
        if len(verbatim.strip()) < 2 or verbatim in done:
            continue
        done.add(verbatim)
        ctx.book.add("exclusions", {"text": verbatim, "reason": reason}, 0.6, "left out on purpose", verbatim)
