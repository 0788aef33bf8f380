"""/initiatives"""

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Initiative
from app.models.vocab import DueState, InitiativeKind, InitiativeStatus
from app.query.resources import INITIATIVES

router = APIRouter(tags=["initiatives"], route_class=DirectRoute)


class InitiativeFilters(Filters):
    area: SlugList = slugs("Areas of co-operation (repeatable).", "healthcare")
    status: list[InitiativeStatus] = Field(
        default_factory=list, description="Status as the documents state it (as of `as_of`, when given)."
    )
    kind: list[InitiativeKind] = Field(default_factory=list, description="Kind of initiative.")
    organisation: SlugList = slugs("Lead or partner organisations.", "hksar-government")
    place: SlugList = slugs("Places the initiative concerns.", "nansha")
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    meeting: SlugList = slugs("Meetings whose document reports the initiative.", "24th-plenary")
    due_before: date | None = Field(
        None,
        description="Target due on or before this date: the deadline's *latest* possible date must be "
        "on or before it ('by the end of 2024' passes 2024-12-31, not 2024-11-30).",
        examples=["2024-12-31"],
    )
    due_after: date | None = Field(
        None,
        description="Target due on or after this date: the deadline's *earliest* possible date must be on or after it.",
        examples=["2024-07-12"],
    )
    due_state: list[DueState] = Field(
        default_factory=list, description="State against the target in force as of `as_of` (default today)."
    )


add_collection(
    router,
    INITIATIVES,
    InitiativeFilters,
    Initiative,
    list_description="Commitments, schemes, programmes, institutions and plans. Filter by area, "
    "status, organisation, place and due window; `due_state` says which are overdue as of any date. "
    "`as_of` reads status and due window as they stood on a date, `known_at` as the register would have "
    "answered on a date.",
    example_key="san-tin-technopole-first-phase",
)
