"""What a curator sends: the seed's own record shapes (app/loader/records.py), each with the
document that is its evidence, so a request and a seed file say the same things the same way."""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from app.loader.records import (
    AgreementRecord,
    InitiativeRecord,
    MilestoneRecord,
    OfficialRecord,
    OrganisationRecord,
    PlaceRecord,
    PostRecord,
    Quote,
    Record,
    Slug,
    Text,
)
from app.models.vocab import (
    AgreementKind,
    Honorific,
    InitiativeKind,
    InitiativeStatus,
    Jurisdiction,
    MetricQualifier,
    OrganisationKind,
    PlaceKind,
)

DocumentSlug = Annotated[
    Slug,
    Field(
        description="The document that is the evidence: its slug (POST /documents first for a new one).",
        examples=["24th-plenary-press-release"],
    ),
]
Effective = Annotated[
    str | None,
    StringConstraints(min_length=1, max_length=80, strip_whitespace=True),
    Field(
        description="When it took effect: an ISO date or EDTF period (`2025-03-01`, `2025-03`, `2025-35` for a "
        "quarter, `2025-03/..` since), or a phrase of the quote resolved against the document's date "
        "(`in March 2025`). Omitted: the document's date. Never after the document's date.",
        examples=["2025-03"],
    ),
]


class NewDocument(Record):
    slug: Slug = Field(examples=["legco-paper-2025-03"])
    title: Text = Field(examples=["LegCo Panel on Commerce and Industry: progress of Greater Bay Area co-operation"])
    issuer: Text = Field(examples=["Commerce and Economic Development Bureau"])
    published_on: date = Field(description="ISO date; not in the future.", examples=["2025-03-20"])
    url: str | None = Field(default=None, max_length=2000)
    text: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The full source text; every quote citing the document must be found in it, verbatim."
    )


class NewStatus(Record):
    status: InitiativeStatus
    effective: Effective = None
    document: DocumentSlug
    quote: Quote = Field(description="Verbatim words of the document saying so.")


class NewTargetReached(Record):
    effective: Effective = None
    document: DocumentSlug
    quote: Quote


class NewObservation(Record):
    """A new figure of a series: its unit, label and area are the series'."""

    slug: Slug = Field(description="The figure's own slug.", examples=["northbound-travel-participating-cars-2025-03"])
    value: float = Field(allow_inf_nan=False)
    previous_value: float | None = Field(default=None, allow_inf_nan=False)
    qualifier: MetricQualifier
    as_of: Text | None = Field(default=None, description="Date phrase of the quote (or ISO/EDTF) the figure is as of.")
    label: Text | None = None
    initiative: Slug | None = None
    document: DocumentSlug
    quote: Quote


class NewInitiative(InitiativeRecord):
    document: DocumentSlug


class NewAgreement(AgreementRecord):
    document: DocumentSlug


class NewMilestone(MilestoneRecord):
    document: DocumentSlug


class NewOrganisation(OrganisationRecord):
    document: DocumentSlug


class NewPlace(PlaceRecord):
    document: DocumentSlug


class NewOfficial(OfficialRecord):
    posts: list[PostRecord] = Field(min_length=1, description="At least one post, quoted: the evidence.")
    document: DocumentSlug


class Withdrawal(Record):
    reason: Annotated[str, StringConstraints(min_length=3, max_length=2000, strip_whitespace=True)] = Field(
        description="Why the statement is withdrawn; kept with it and shown in its history."
    )


# -- merge patches (RFC 7396): the descriptive fields of a record made through the API ---------


class InitiativePatch(Record):
    title: Text | None = None
    summary: Text | None = None
    kind: InitiativeKind | None = None


class AgreementPatch(Record):
    title: Text | None = None
    kind: AgreementKind | None = None


class OrganisationPatch(Record):
    name: Text | None = None
    short_name: Text | None = None
    jurisdiction: Jurisdiction | None = None
    kind: OrganisationKind | None = None


class PlacePatch(Record):
    name: Text | None = None
    kind: PlaceKind | None = None


class OfficialPatch(Record):
    name: Text | None = None
    honorific: Honorific | None = None


class MilestonePatch(Record):
    label: Text | None = None
