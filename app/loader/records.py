"""The shape of a curated seed file (seed/<document>.yaml), validated with pydantic.

Every fact record carries `quote`: words copied verbatim from the source text. The
loader refuses a record whose quote is not in the text, so every row in the
database can be traced to the sentence it came from.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    label: Text
    value: Decimal
    previous_value: Decimal | None = Field(
        default=None, description="For a change ('from five years to three'): the old value."
    )
    unit: MetricUnit
    qualifier: MetricQualifier
    as_of: Text | None = Field(default=None, description="Date phrase the figure is as of; None: the document's date.")
    area: Slug
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
    quote: Quote


class Exclusion(Record):
    text: Text = Field(description="A number or date expression deliberately not a record.")
    reason: Text


class SeedFile(Record):
    document: DocumentRecord
    meetings: list[MeetingRecord]
    areas: list[AreaRecord]
    places: list[PlaceRecord] = Field(default_factory=list)
    organisations: list[OrganisationRecord]
    officials: list[OfficialRecord]
    participations: list[ParticipationRecord]
    initiatives: list[InitiativeRecord]
    agreements: list[AgreementRecord]
    metrics: list[MetricRecord]
    milestones: list[MilestoneRecord]
    exclusions: list[Exclusion] = Field(default_factory=list)
