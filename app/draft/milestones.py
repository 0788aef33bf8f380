"""Milestones: every date phrase of a sentence, resolved by the project's date resolver and
attached to the initiative its sentence describes.

Kind: a period wholly before the release happened; a period the sentence commits someone to
(will, plans to, by the end of, later ...) is a target; any other future period is scheduled.
A date phrase that is an agreement's signing date, the release's own "today" a second time,
or a comparison ("the same period last year") is no milestone.
"""

import re
from typing import Any

from app.draft.book import Context
from app.draft.clean import Sentence
from app.draft.dates import DateMention, find_dates
from app.models.vocab import DateQualifier, MilestoneKind

__all__ = ["draft_milestones"]

_COMMITMENT = re.compile(
    r"(?i)\b(?:will|shall|plans? to|planning to|aims? to|expects? to|is expected to|to be|target(?:s|ing)? to|"
    r"strives? to|is scheduled to|intends? to)\b"
)
_PAST = re.compile(r"(?i)\b(?:was|were|has been|have been|had been|had|did)\b|\b\w+ed\b")


def _kind(ctx: Context, sentence: Sentence, mention: DateMention) -> MilestoneKind:
    resolved = mention.resolved
    assert resolved is not None and resolved.start is not None
    pub = ctx.published_on
    end = resolved.end
    if end is not None and end < pub:
        return MilestoneKind.HAPPENED
    before = sentence.plain[: mention.start - sentence.start]
    committed = _COMMITMENT.search(before) is not None
    if resolved.qualifier is DateQualifier.FROM and resolved.start <= pub:
        return MilestoneKind.SCHEDULED if committed else MilestoneKind.HAPPENED
    if resolved.qualifier is DateQualifier.BY or (committed and resolved.phrase.lower().startswith("later")):
        return MilestoneKind.TARGET
    if resolved.start > pub:
        return MilestoneKind.TARGET if committed else MilestoneKind.SCHEDULED
    if committed:
        return MilestoneKind.TARGET
    return MilestoneKind.HAPPENED if _PAST.search(before) else MilestoneKind.SCHEDULED


def _label(sentence: Sentence, mention: DateMention) -> str:
    words = sentence.plain.replace(mention.phrase, " ").strip(" ,.;")
    words = re.sub(r"\s+([,;.])", r"\1", " ".join(words.split()))
    words = words or " ".join(sentence.plain.split())  # the sentence is the date phrase alone
    return words if len(words) <= 140 else words[:137].rsplit(" ", 1)[0] + "..."


def _superseded(ctx: Context, initiative: str | None, kind: MilestoneKind) -> str | None:
    """The register's latest target for the same initiative that this new target replaces."""
    if initiative is None or kind is not MilestoneKind.TARGET:
        return None
    targets = [
        m.slug
        for m in ctx.register.milestones
        if m.parent == initiative
        and m.kind == MilestoneKind.TARGET
        and m.slug not in ctx.register.targets_reached
        and m.slug not in ctx.register.superseded
    ]
    return targets[-1] if targets else None


def draft_milestones(ctx: Context, sentences: list[Sentence], reached: set[int]) -> None:
    """`reached`: starts of sentences whose dates record a target reached (no new milestone)."""
    today_seen = False
    for sentence in sentences:
        for mention in find_dates(ctx.prepared.plain, sentence.start, sentence.end, ctx.published_on):
            if mention.resolved is None:
                ctx.book.cannot_place(mention.phrase, mention.problem or "not a date", sentence.quote)
                continue
            if any(a <= mention.start and mention.end <= b for a, b in ctx.agreement_date_spans):
                continue  # an agreement's `signed` phrase
            is_today = mention.phrase.lower().startswith("today")
            if is_today and today_seen:
                continue  # the publication day, already recorded
            today_seen = today_seen or is_today
            if sentence.start in reached:
                continue
            kind = _kind(ctx, sentence, mention)
            initiative = ctx.initiative_of_sentence.get(sentence.start)
            phrase = ctx.prepared.text[mention.start : mention.end]
            record: dict[str, Any] = {
                "slug": ctx.book.slug("milestones", f"{_label(sentence, mention)[:40]} {mention.resolved.edtf}"),
                "label": _label(sentence, mention),
                "kind": kind.value,
                "when": phrase,
                "area": ctx.area_of(sentence),
            }
            if initiative:
                record["initiative"] = initiative
            supersedes = _superseded(ctx, initiative, kind)
            if supersedes:
                record["supersedes"] = supersedes
            record["quote"] = sentence.quote
            resolved = mention.resolved
            interval = f"{resolved.start}/{resolved.end or '..'}"
            reason = f"{kind.value} {phrase!r} -> {interval} (EDTF {resolved.edtf})"
            confidence = 0.85 if initiative else 0.7
            drafted = ctx.book.add("milestones", record, confidence, "date phrase", sentence.plain[:80])
            if drafted is not None:
                drafted.reason = f"rule date phrase: {reason}"
