"""/agreements"""

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Agreement
from app.models.vocab import AgreementKind
from app.query.resources import AGREEMENTS

router = APIRouter(tags=["agreements"], route_class=DirectRoute)


class AgreementFilters(Filters):
    area: SlugList = slugs("Areas of co-operation (repeatable).", "healthcare")
    kind: list[AgreementKind] = Field(default_factory=list, description="Kind of agreement.")
    organisation: SlugList = slugs("Parties to the agreement.", "hksar-government")
    meeting: SlugList = slugs("The meeting it was signed at.", "24th-plenary")
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    signed_from: date | None = Field(
        None, description="Signed on or after (earliest possible date).", examples=["2024-07-12"]
    )
    signed_to: date | None = Field(
        None, description="Signed on or before (latest possible date).", examples=["2024-12-31"]
    )


add_collection(
    router,
    AGREEMENTS,
    AgreementFilters,
    Agreement,
    list_description="Agreements, memoranda of understanding, arrangements and framework agreements, "
    "with their parties and signing dates.",
    example_key="food-safety-agreement",
)
