"""Response schemas: they document the API (OpenAPI) and are checked against real
responses by the tests; the list path serialises rows directly with orjson for speed."""

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.models.vocab import (
    AgreementKind,
    ChangeKind,
    DatePrecision,
    DateQualifier,
    DueState,
    HistoryKind,
    Honorific,
    InitiativeKind,
    InitiativeStatus,
    Jurisdiction,
    MetricQualifier,
    MetricUnit,
    MilestoneKind,
    MilestoneOutcome,
    OrganisationKind,
    OrganisationRole,
    ParticipationRole,
    PlaceKind,
    RecordType,
    Side,
    UnitDimension,
)


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Ref(Schema):
    id: int
    slug: str


class AreaRef(Ref):
    name: str


class TitledRef(Ref):
    title: str


class NamedRef(Ref):
    name: str


class MeetingRef(Ref):
    name: str
    held_on: date


class OfficialRef(Ref):
    name: str
    honorific: Honorific | None


class Span(Schema):
    quote: str = Field(description="Verbatim words of the source text.")
    start: int = Field(description="Character offset of the quote in the document text.")
    end: int = Field(description="Offset one past the quote's last character.")


class Source(Span):
    """Where a fact is stated: text[start:end] == quote."""

    document: str = Field(description="Slug of the source document.", examples=["24th-plenary-press-release"])


class AsOf(Schema):
    phrase: str | None = Field(description="The text's own words for the period; null: as of the document's date.")
    start: date
    end: date
    precision: DatePrecision
    edtf: str = Field(description="ISO 8601-2 / EDTF form.", examples=["2024-07-12"])


class Signed(Schema):
    phrase: str | None
    start: date | None
    end: date | None
    precision: DatePrecision | None
    edtf: str | None


class Due(Schema):
    start: date | None = Field(description="Earliest possible date of the target in force (as of `as_of`).")
    end: date | None = Field(description="Latest possible date of the target in force: the deadline.")


def _unit_label() -> Any:
    return Field(description="The unit in words (docs/VOCABULARY.md).", examples=["vehicles per day"])


def _unit_dimension() -> Any:
    return Field(description="What kind of quantity the unit measures (docs/VOCABULARY.md).", examples=["flow"])


class MetricCore(Ref):
    label: str
    value: float = Field(examples=[65000])
    previous_value: float | None = Field(description="For a reported change: the value before.")
    unit: MetricUnit
    unit_label: str = _unit_label()
    unit_dimension: UnitDimension = _unit_dimension()
    qualifier: MetricQualifier
    as_of: AsOf


class EmbeddedMetric(MetricCore):
    """A figure embedded in the record it belongs to, with its quote."""

    source: Source


class Metric(MetricCore):
    series: str = Field(
        description="Slug of the series this figure is an observation of (see /metrics/series).",
        examples=["northbound-travel-participating-cars"],
    )
    area: AreaRef
    initiative: TitledRef | None
    source: Source


class ObservationSource(Source):
    document_title: str = Field(description="Title of the source document.")
    published_on: date = Field(description="When the document was published: when the figure became known.")


class Observation(MetricCore):
    """One report of a series' figure, with its quote."""

    source: ObservationSource


class Period(Schema):
    start: date
    end: date


class LatestObservation(Schema):
    slug: str = Field(description="The observation's slug (see /metrics/{slug}).")
    value: float = Field(examples=[120000])
    qualifier: MetricQualifier
    as_of: Period = Field(description="The period the figure is as of.")
    document: str = Field(description="Slug of the document that reported it.")


class Series(Ref):
    """One measure reported over time; its observations are the figures of /metrics."""

    label: str
    unit: MetricUnit
    unit_label: str = _unit_label()
    unit_dimension: UnitDimension = _unit_dimension()
    area: AreaRef
    initiative: TitledRef | None
    observation_count: int = Field(description="How many observations the series has.", examples=[3])
    latest: LatestObservation = Field(
        description="The observation with the latest as-of date (then the last recorded)."
    )
    observations: list[Observation] | None = Field(
        default=None,
        description="Every observation in date order (as-of end, then id): on the detail, or with "
        "include=observations.",
    )


class MilestoneCore(Ref):
    label: str
    kind: MilestoneKind
    phrase: str = Field(description="The date as the text words it.", examples=["by the end of 2024"])
    start: date = Field(description="Earliest possible date.")
    end: date | None = Field(description="Latest possible date; null when open-ended.")
    precision: DatePrecision
    qualifier: DateQualifier
    edtf: str = Field(examples=["../2024-12-31"])
    outcome: MilestoneOutcome | None = Field(
        None,
        description="A target's outcome as of the `as_of` date (default today): met, met_late, missed, "
        "pending or superseded; null for other milestones (absent where a history entry names its target).",
        examples=["met_late"],
    )


class Milestone(MilestoneCore):
    area: AreaRef
    initiative: TitledRef | None
    agreement: TitledRef | None
    source: Source


class AgreementSummary(TitledRef):
    kind: AgreementKind


class OrganisationSummary(NamedRef):
    short_name: str | None
    jurisdiction: Jurisdiction


class OrganisationInRole(OrganisationSummary):
    role: OrganisationRole


class PlaceSummary(NamedRef):
    kind: PlaceKind


class InitiativeSummary(TitledRef):
    kind: InitiativeKind
    status: InitiativeStatus


class InitiativeWithRole(InitiativeSummary):
    role: OrganisationRole


class Initiative(TitledRef):
    summary: str
    kind: InitiativeKind
    status: InitiativeStatus = Field(
        description="The latest status statement (as of `as_of`, by what was published by `known_at`)."
    )
    status_quote: str = Field(description="The words of the text that support the status.")
    due: Due
    due_state: DueState = Field(description="Against the target, as of the `as_of` date.")
    area: AreaRef
    source: Source
    metrics: list[EmbeddedMetric] | None = Field(default=None, description="With include=metrics.")
    milestones: list[MilestoneCore] | None = Field(default=None, description="With include=milestones.")
    agreements: list[AgreementSummary] | None = Field(default=None, description="With include=agreements.")
    organisations: list[OrganisationInRole] | None = Field(
        default=None, description="With include=organisations; the lead first."
    )
    places: list[PlaceSummary] | None = Field(default=None, description="With include=places.")


class Agreement(TitledRef):
    kind: AgreementKind
    signed: Signed
    area: AreaRef
    meeting: MeetingRef | None = Field(description="The meeting it was signed at, if any.")
    initiative: TitledRef | None
    source: Source
    parties: list[OrganisationSummary] | None = None
    milestones: list[MilestoneCore] | None = None


class Area(NamedRef):
    summary: str
    heading: str
    initiatives: list[InitiativeSummary] | None = None
    agreements: list[AgreementSummary] | None = None
    metrics: list[EmbeddedMetric] | None = None


class OfficialInPost(OfficialRef):
    title: str
    acting: bool


class Organisation(NamedRef):
    short_name: str | None
    jurisdiction: Jurisdiction
    kind: OrganisationKind
    parent: NamedRef | None
    source: Source
    initiatives: list[InitiativeWithRole] | None = None
    agreements: list[AgreementSummary] | None = None
    officials: list[OfficialInPost] | None = None


class PostDocument(Schema):
    slug: str
    title: str
    published_on: date


class PostSource(Span):
    """A document naming the official in the post (Popolo's `sources`)."""

    document: PostDocument


class PostHeld(Schema):
    id: int
    title: str
    acting: bool
    held_from: date | None = Field(description="The publication date of the first document naming the post.")
    held_until: date | None = Field(
        description="The publication date of the document naming the post that replaced it; null: still held, "
        "as far as the documents say."
    )
    organisation: NamedRef
    source: Span = Field(description="Where the first document names the official in the post.")
    sources: list[PostSource] = Field(description="Every document naming the official in the post, oldest first.")


class ParticipationOfOfficial(Schema):
    role: ParticipationRole
    side: Side
    meeting: MeetingRef
    source: Span


class Official(NamedRef):
    honorific: Honorific | None
    posts: list[PostHeld] | None = None
    participations: list[ParticipationOfOfficial] | None = None


class Place(NamedRef):
    kind: PlaceKind
    parent: NamedRef | None
    source: Source


class Participant(Schema):
    role: ParticipationRole
    side: Side
    official: OfficialRef
    source: Span


class Meeting(NamedRef):
    ordinal: int
    held_on: date
    city: str
    source: Source
    participants: list[Participant] | None = None
    agreements: list[AgreementSummary] | None = None


class Document(TitledRef):
    issuer: str
    published_on: date
    url: str | None
    sha256: str = Field(description="SHA-256 of the UTF-8 text.")
    length: int = Field(description="Length of the text in characters.")
    text: str | None = Field(default=None, description="The full text (detail only).")


class EffectiveDate(Schema):
    """When something took effect: often an imprecise phrase, stored as an interval."""

    phrase: str | None = Field(description="The text's own words for when; null when the entry is dated by a day.")
    start: date = Field(description="Earliest possible date.")
    end: date | None = Field(description="Latest possible date; null when open-ended ('since February 2026').")
    precision: DatePrecision
    qualifier: DateQualifier
    edtf: str = Field(description="ISO 8601-2 / EDTF form.", examples=["2025-03"])
    on: date = Field(
        description="The day by which it certainly held (the interval's end, or its start when open-ended): "
        "entries are ordered, and `as_of` compares, on it."
    )


class DocumentRef(TitledRef):
    published_on: date
    issuer: str


class SeriesRef(Ref):
    label: str


class Withdrawal(Schema):
    """A statement a curator retracted through the API: kept, and no longer counted."""

    reason: str = Field(description="Why it was withdrawn.")
    by: str = Field(description="The name of the key that withdrew it.")
    at: datetime = Field(description="When (UTC).")


class Recorded(Schema):
    recorded_by: str | None = Field(
        default=None,
        description="The name of the key that recorded it through the API; null when loaded from the seed.",
    )
    recorded_at: datetime | None = Field(default=None, description="When it was recorded through the API (UTC).")


class HistoryEntry(Recorded):
    """One entry of an initiative's history; the fields of other kinds are null."""

    kind: HistoryKind
    effective: EffectiveDate
    document: DocumentRef = Field(
        description="The document that says it; for a missed target, the one that set the target."
    )
    source: Span
    status: InitiativeStatus | None = Field(description="status: the status stated.")
    previous_status: InitiativeStatus | None = Field(
        description="status: the status of the entry before it (null for the first), so a move backwards shows."
    )
    milestone: MilestoneCore | None = Field(description="target_*: the target.")
    outcome: MilestoneOutcome | None = Field(
        description="target_reached: `met` (by its latest possible date) or `met_late`; target_missed: `missed`."
    )
    superseded_by: MilestoneCore | None = Field(description="target_superseded: the new target.")
    series: SeriesRef | None = Field(description="observation: the series the figure belongs to.")
    value: float | None = Field(description="observation: the figure.")
    unit: MetricUnit | None
    qualifier: MetricQualifier | None
    withdrawn: Withdrawal | None = Field(
        default=None,
        description="status, target_reached: set when a curator withdrew the statement; it no longer counts "
        "(not for the status, the outcome, nor as anyone's previous status).",
    )


class RecordRef(Ref):
    type: RecordType
    label: str = Field(description="Its title, name or label.")
    url: str = Field(
        description="Where the API serves it.", examples=["/initiatives/building-technology-research-institute"]
    )


class PostChange(Schema):
    id: int
    title: str
    acting: bool
    organisation: NamedRef


class Change(Recorded):
    """One thing a document added or changed; the fields of other kinds are null."""

    kind: ChangeKind
    document: DocumentRef
    effective: EffectiveDate = Field(
        description="When it took effect: the statement's own date, else the document's date."
    )
    record: RecordRef = Field(
        description="The record it is about: the record added, the initiative, the figure, the target, the official."
    )
    source: Span = Field(description="The document's words.")
    status: InitiativeStatus | None = Field(description="status_changed: the status after.")
    previous_status: InitiativeStatus | None = Field(
        description="status_changed: the status before (the latest earlier statement by effective date)."
    )
    series: SeriesRef | None = Field(description="observation_added: the series.")
    value: float | None = Field(description="observation_added: the new figure.")
    previous_value: float | None = Field(
        description="observation_added: the series' observation before it (by as-of date); null for its first."
    )
    unit: MetricUnit | None
    qualifier: MetricQualifier | None
    milestone: MilestoneCore | None = Field(description="target_*: the target.")
    outcome: MilestoneOutcome | None = Field(description="target_*: met, met_late or superseded.")
    superseded_by: MilestoneCore | None = Field(description="target_superseded: the new target.")
    post: PostChange | None = Field(description="post_*: the post started or ended.")


class FacetValue(Schema):
    value: str | None = Field(description="The slug or code filtered by.", examples=["healthcare"])
    name: str | None = Field(description="The value in words: its record's name, or its code's words.")
    count: int


ItemT = TypeVar("ItemT")


class Page(Schema, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")
    total: int | None = Field(default=None, description="With count=exact: the size of the filtered set.")
    facets: dict[str, list[FacetValue]] | None = Field(
        default=None,
        description="With facets=...: counts per value over the filtered set, by count; with facets_zero=true "
        "then each other possible value, count 0.",
    )
