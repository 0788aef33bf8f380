"""The shape of a curated seed file (seed/<document>.yaml), validated with pydantic.

Every fact record carries `quote`: words copied verbatim from the source text. The
loader refuses a record whose quote is not in the text, so every row in the
database can be traced to the sentence it came from.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.models.vocab import (
    AgreementKind,
    Honorific,
    InitiativeKind,
    InitiativeStatus,
    Jurisdiction,
    MetricQualifier,
    MetricUnit,
    MilestoneKind,
    OrganisationKind,
    ParticipationRole,
    PlaceKind,
    Side,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Quote = Annotated[str, StringConstraints(min_length=3)]


class DraftMark(BaseModel):
    """Why `coop draft` proposed a record, and how sure it is: the record awaits review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    confidence: float = Field(ge=0, le=1, description="The drafter's confidence, 0 to 1.")
    reason: Text = Field(description="The rule that drafted the record and the words it matched.")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Record(Strict):
    draft: DraftMark | None = Field(
        default=None,
        description="Set by `coop draft`: the record is unreviewed. `coop seed` refuses it unless told to "
        "accept drafts; a curator deletes the mark once the record is checked.",
    )

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        """Text a database can store: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8)."""
        for text in _texts(data):
            if "\x00" in text:
                raise ValueError("text may not contain NUL characters")
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError("text must be valid Unicode (a lone surrogate is not)") from error
        return data


def _texts(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(key)
            yield from _texts(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _texts(value)


class DocumentRecord(Record):
    slug: Slug
    title: Text
    issuer: Text
    published_on: date
    url: str | None = None
    file: Text = Field(description="The source text, relative to the seed file.")


class MeetingRecord(Record):
    slug: Slug
    ordinal: int = Field(gt=0)
    name: Text
    held_on: date
    city: Text
    quote: Quote


class AreaRecord(Record):
    slug: Slug
    name: Text
    heading: Text = Field(description="The section heading as written in the text.")
    summary: Text


class PlaceRecord(Record):
    slug: Slug
    name: Text
    kind: PlaceKind
    parent: Slug | None = None
    quote: Quote


class OrganisationRecord(Record):
    slug: Slug
    name: Text
    short_name: Text | None = None
    jurisdiction: Jurisdiction
    kind: OrganisationKind
    parent: Slug | None = None
    quote: Quote


class PostRecord(Record):
    title: Text = Field(description="The title as written, without 'Acting'.")
    organisation: Slug
    acting: bool = False
    quote: Quote


class PostReference(Record):
    title: Text
    organisation: Slug


class PostUpdateRecord(Record):
    """A later document naming a known official in a post: a new post, or a new source of one held."""

    official: Slug
    title: Text = Field(description="The title as written, without 'Acting'.")
    organisation: Slug
    acting: bool = False
    replaces: PostReference | None = Field(default=None, description="The official's earlier post this one ends.")
    quote: Quote


class OfficialRecord(Record):
    slug: Slug
    name: Text = Field(description="The name as written, without honorific.")
    honorific: Honorific | None = None
    posts: list[PostRecord] = Field(default_factory=list)


class ParticipationRecord(Record):
    official: Slug
    meeting: Slug
    role: ParticipationRole
    side: Side
    quote: Quote


class InitiativeRecord(Record):
    slug: Slug
    area: Slug
    title: Text
    summary: Text
    kind: InitiativeKind
    status: InitiativeStatus
    status_quote: Quote
    status_since: Text | None = Field(
        default=None, description="Date phrase in status_quote the status took effect; None: the document's date."
    )
    quote: Quote
    lead: Slug | None = None
    partners: list[Slug] = Field(default_factory=list)
    places: list[Slug] = Field(default_factory=list)


class AgreementRecord(Record):
    slug: Slug
    title: Text
    kind: AgreementKind
    area: Slug
    meeting: Slug | None = Field(default=None, description="Set when signed at the meeting.")
    signed: Text | None = Field(default=None, description="Date phrase, as in the quote.")
    parties: list[Slug] = Field(default_factory=list)
    initiative: Slug | None = None
    quote: Quote


class MetricRecord(Record):
    slug: Slug
    series: Slug | None = Field(
        default=None,
        description="The series this figure is an observation of: an earlier document's, or a new one "
        "(None: a new series with the figure's own slug).",
    )
    label: Text | None = Field(default=None, description="Required for a new series; else the series' label.")
    value: Decimal
    previous_value: Decimal | None = Field(
        default=None, description="For a change ('from five years to three'): the old value."
    )
    unit: MetricUnit | None = Field(default=None, description="Required for a new series; else must match it.")
    qualifier: MetricQualifier
    as_of: Text | None = Field(default=None, description="Date phrase the figure is as of; None: the document's date.")
    area: Slug | None = Field(default=None, description="Required for a new series; else the series' area.")
    initiative: Slug | None = None
    quote: Quote


class MilestoneRecord(Record):
    slug: Slug
    label: Text
    kind: MilestoneKind
    when: Text = Field(description="The date phrase exactly as in the quote.")
    area: Slug
    initiative: Slug | None = None
    agreement: Slug | None = None
    supersedes: Slug | None = Field(default=None, description="An earlier target this one replaces.")
    quote: Quote


class StatusUpdateRecord(Record):
    """A document's word on where an initiative defined earlier now stands."""

    initiative: Slug
    status: InitiativeStatus
    when: Text | None = Field(default=None, description="Date phrase in the quote; None: the document's date.")
    quote: Quote


class TargetReachedRecord(Record):
    """A document's word that a target milestone was achieved."""

    milestone: Slug
    when: Text | None = Field(default=None, description="Date phrase in the quote; None: the document's date.")
    quote: Quote


class Exclusion(Record):
    text: Text = Field(description="A number or date expression deliberately not a record.")
    reason: Text


class SeedFile(Strict):
    """One document and what it contributes: records it defines, statements about earlier ones."""

    document: DocumentRecord
    meetings: list[MeetingRecord] = Field(default_factory=list)
    areas: list[AreaRecord] = Field(default_factory=list)
    places: list[PlaceRecord] = Field(default_factory=list)
    organisations: list[OrganisationRecord] = Field(default_factory=list)
    officials: list[OfficialRecord] = Field(default_factory=list)
    posts: list[PostUpdateRecord] = Field(default_factory=list)
    participations: list[ParticipationRecord] = Field(default_factory=list)
    initiatives: list[InitiativeRecord] = Field(default_factory=list)
    status_updates: list[StatusUpdateRecord] = Field(default_factory=list)
    agreements: list[AgreementRecord] = Field(default_factory=list)
    metrics: list[MetricRecord] = Field(default_factory=list)
    milestones: list[MilestoneRecord] = Field(default_factory=list)
    targets_reached: list[TargetReachedRecord] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
