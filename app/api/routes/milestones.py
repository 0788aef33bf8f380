"""/milestones"""

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Milestone
from app.models.vocab import DatePrecision, MilestoneKind, MilestoneOutcome
from app.query.resources import MILESTONES

router = APIRouter(tags=["milestones"], route_class=DirectRoute)


class MilestoneFilters(Filters):
    area: SlugList = slugs("Areas of co-operation (repeatable).", "healthcare")
    kind: list[MilestoneKind] = Field(default_factory=list, description="happened, scheduled or target.")
    precision: list[DatePrecision] = Field(default_factory=list, description="day, month, quarter, ...")
    initiative: SlugList = slugs("The initiative.", "san-tin-technopole-first-phase")
    agreement: SlugList = slugs("The agreement.", "emergency-management-co-operation-framework-agreement")
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    date_from: date | None = Field(
        None,
        description="Keep a milestone only if its *earliest* possible date is on or after this date.",
        examples=["2024-07-12"],
    )
    date_to: date | None = Field(
        None,
        description="Keep a milestone only if its *latest* possible date is on or before this date: "
        "'by the end of 2024' is kept by 2024-12-31 and dropped by 2024-11-30; open-ended ones never pass.",
        examples=["2024-12-31"],
    )
    outcome: list[MilestoneOutcome] = Field(
        default_factory=list,
        description="Targets with this outcome as of `as_of` (default today): met, met_late, missed, pending, "
        "superseded (repeatable).",
        examples=[["missed"]],
    )


add_collection(
    router,
    MILESTONES,
    MilestoneFilters,
    Milestone,
    list_description="Dated events and targets, each an interval (earliest and latest possible "
    "date) with precision, qualifier, EDTF form and the original phrase; each target with its `outcome` "
    "(met, met late, missed, pending, superseded) as of `as_of`.",
    example_key="san-tin-technopole-first-phase-commences",
)
