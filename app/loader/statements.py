"""What a document says about records defined earlier: status statements, figures of a
series, targets superseded or reached, officials in new posts. Mixed into the loader."""

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.loader import dates
from app.loader.records import InitiativeRecord, MetricRecord, MilestoneRecord, SeedFile, StatusUpdateRecord
from app.loader.registry import Registry
from app.loader.spans import Span, certain_by, on_day
from app.loader.sync import Sync
from app.models import (
    Area,
    Initiative,
    MetricSeries,
    Milestone,
    Official,
    Organisation,
    Post,
    PostSource,
    StatusStatement,
    TargetReached,
)
from app.models.vocab import MilestoneKind


class StatementsLoader:
    session: Session
    sync: Sync
    registry: Registry
    seed: SeedFile
    published_on: date
    document_id: int
    # Provided by the loader proper (app/loader/load.py).
    _span: Callable[[str, int, Any, str], Span]
    _date: Callable[[str, int, Any, str, str], dates.ResolvedDate | None]
    _ref: Callable[[str, int, Any, type, str | None], int | None]
    _row: Callable[[str, int, Any, type, str | None], Any]
    _define: Callable[[str, int, Any, type, str], None]
    _problem: Callable[[str, int, Any, str], None]
    _provenance: Callable[[Span], dict[str, Any]]

    def _effective(
        self, section: str, index: int, record: Any, phrase: str | None, quote: str
    ) -> dict[str, Any] | None:
        """The effective-date columns of a statement; a document cannot report the future as done."""
        resolved = on_day(self.published_on) if phrase is None else self._date(section, index, record, phrase, quote)
        if resolved is None:
            return None
        effective_on = certain_by(resolved)
        if effective_on > self.published_on:
            self._problem(
                section,
                index,
                record,
                f"effective date {phrase!r} ({effective_on}) is after the document's date ({self.published_on})",
            )
            return None
        return {
            "effective_phrase": phrase,
            "effective_start": resolved.start,
            "effective_end": resolved.end,
            "effective_precision": resolved.precision.value,
            "effective_qualifier": resolved.qualifier.value,
            "effective_edtf": resolved.edtf,
            "effective_on": effective_on,
        }

    def _status_statement(
        self,
        section: str,
        index: int,
        record: InitiativeRecord | StatusUpdateRecord,
        initiative_id: int,
        status: str,
        phrase: str | None,
        span: Span,
    ) -> None:
        effective = self._effective(section, index, record, phrase, span.quote)
        if effective is None:
            return
        key = {"initiative_id": initiative_id, "document_id": self.document_id}
        if self.sync.seen(StatusStatement, key):
            self._problem(section, index, record, "a document states one status per initiative; this is a second")
            return
        self.sync.upsert(
            StatusStatement,
            key,
            status=status,
            quote=span.quote,
            quote_start=span.start,
            quote_end=span.end,
            **effective,
        )

    def _status_updates(self) -> None:
        for i, record in enumerate(self.seed.status_updates):
            span = self._span("status_updates", i, record, record.quote)
            initiative_id = self._ref("status_updates", i, record, Initiative, record.initiative)
            if initiative_id is not None:
                self._status_statement(
                    "status_updates", i, record, initiative_id, record.status.value, record.when, span
                )

    def _series(self, index: int, metric: MetricRecord) -> MetricSeries | None:
        """The series `metric` is an observation of: an earlier one, or one it starts."""
        slug = metric.series or metric.slug
        if self.registry.defines(MetricSeries.__tablename__, slug):
            series = self._row("metrics", index, metric, MetricSeries, slug)
            if series is not None and metric.unit is not None and metric.unit.value != series.unit:
                self._problem(
                    "metrics", index, metric, f"unit {metric.unit.value!r} differs from series {slug!r} ({series.unit})"
                )
                return None
            return series
        missing = [name for name in ("label", "unit", "area") if getattr(metric, name) is None]
        if missing:
            self._problem("metrics", index, metric, f"a new series {slug!r} needs {', '.join(missing)}")
            return None
        assert metric.unit is not None and metric.label is not None
        self._define("metrics", index, metric, MetricSeries, slug)
        series = self.sync.upsert(
            MetricSeries,
            {"slug": slug},
            label=metric.label,
            unit=metric.unit.value,
            area_id=self._ref("metrics", index, metric, Area, metric.area),
            initiative_id=self._ref("metrics", index, metric, Initiative, metric.initiative),
            document_id=self.document_id,
        )
        self.session.flush()
        return series

    def _superseded(self, index: int, milestone: MilestoneRecord) -> int | None:
        """The id of the earlier target `milestone` replaces; both must be targets, no cycles."""
        if milestone.supersedes is None:
            return None
        if milestone.supersedes == milestone.slug:
            self._problem("milestones", index, milestone, "a target cannot supersede itself")
            return None
        if milestone.kind is not MilestoneKind.TARGET:
            self._problem("milestones", index, milestone, "only a target can supersede a target")
            return None
        earlier = self._row("milestones", index, milestone, Milestone, milestone.supersedes)
        if earlier is None:
            return None
        if earlier.kind != MilestoneKind.TARGET.value:
            self._problem("milestones", index, milestone, f"{milestone.supersedes!r} is not a target")
            return None
        if self._supersession_cycle(milestone.slug, milestone.supersedes):
            self._problem("milestones", index, milestone, f"superseding {milestone.supersedes!r} makes a cycle")
            return None
        return int(earlier.id)

    def _supersession_cycle(self, slug: str, supersedes: str) -> bool:
        """Whether following `supersedes` from `supersedes` comes back to `slug` (this seed's links)."""
        links = {m.slug: m.supersedes for m in self.seed.milestones if m.supersedes}
        seen: set[str] = set()
        current: str | None = supersedes
        while current is not None and current not in seen:
            if current == slug:
                return True
            seen.add(current)
            current = links.get(current)
        return False

    def _targets_reached(self) -> None:
        for i, record in enumerate(self.seed.targets_reached):
            span = self._span("targets_reached", i, record, record.quote)
            milestone = self._row("targets_reached", i, record, Milestone, record.milestone)
            if milestone is None:
                continue
            if milestone.kind != MilestoneKind.TARGET.value:
                self._problem("targets_reached", i, record, f"{record.milestone!r} is not a target")
                continue
            effective = self._effective("targets_reached", i, record, record.when, span.quote)
            if effective is None:
                continue
            key = {"milestone_id": milestone.id, "document_id": self.document_id}
            if self.sync.seen(TargetReached, key):
                self._problem("targets_reached", i, record, "this document already reports this target reached")
                continue
            self.sync.upsert(
                TargetReached,
                key,
                quote=span.quote,
                quote_start=span.start,
                quote_end=span.end,
                **effective,
            )

    def _post_updates(self) -> None:
        """Known officials in posts: a new post (possibly ending an earlier one), or a new
        source for a post already held."""
        for i, record in enumerate(self.seed.posts):
            official_id = self._ref("posts", i, record, Official, record.official)
            organisation_id = self._ref("posts", i, record, Organisation, record.organisation)
            span = self._span("posts", i, record, record.quote)
            if official_id is None or organisation_id is None:
                continue
            key = {"official_id": official_id, "organisation_id": organisation_id, "title": record.title}
            existing = self.sync._existing(Post, tuple(key)).get(tuple(key.values()))
            if existing is not None and existing.document_id != self.document_id:
                self.sync.upsert(PostSource, {"post_id": existing.id, "document_id": self.document_id}, **_quoted(span))
                post = existing
            else:
                post = self.sync.upsert(
                    Post,
                    key,
                    on_insert={"held_from": self.published_on},
                    acting=record.acting,
                    **self._provenance(span),
                )
                self.session.flush()
            if record.replaces is not None:
                self._replace_post(i, record, official_id, post)

    def _replace_post(self, index: int, record: Any, official_id: int, post: Post) -> None:
        replaced_organisation = self._ref("posts", index, record, Organisation, record.replaces.organisation)
        if replaced_organisation is None:
            return
        key = (official_id, replaced_organisation, record.replaces.title)
        earlier = self.sync._existing(Post, ("official_id", "organisation_id", "title")).get(key)
        if earlier is None or earlier is post:
            self._problem("posts", index, record, f"the official holds no post {record.replaces.title!r} to replace")
            return
        self.sync.update(earlier, replaced_by_id=post.id)


def _quoted(span: Span) -> dict[str, Any]:
    return {"quote": span.quote, "quote_start": span.start, "quote_end": span.end}
