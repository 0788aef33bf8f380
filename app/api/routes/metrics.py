"""/metrics"""

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Metric
from app.models.vocab import MetricQualifier, MetricUnit
from app.query.resources import METRICS

router = APIRouter(tags=["metrics"], route_class=DirectRoute)


class MetricFilters(Filters):
    area: SlugList = slugs("Areas of co-operation (repeatable).", "transport-and-logistics")
    unit: list[MetricUnit] = Field(default_factory=list, description="Unit of the value.")
    qualifier: list[MetricQualifier] = Field(default_factory=list, description="exact, about, over, ...")
    initiative: SlugList = slugs("The initiative a figure belongs to.", "northbound-travel-for-hong-kong-vehicles")
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    value_min: float | None = Field(None, description="Value at least this.", allow_inf_nan=False, examples=[1000])
    value_max: float | None = Field(None, description="Value at most this.", allow_inf_nan=False, examples=[100])
    as_of_from: date | None = Field(
        None, description="As-of period starts on or after this date.", examples=["2024-01-01"]
    )
    as_of_to: date | None = Field(
        None, description="As-of period ends on or before this date.", examples=["2024-07-12"]
    )


add_collection(
    router,
    METRICS,
    MetricFilters,
    Metric,
    list_description="Every figure the documents report, normalised: value, unit, qualifier "
    "(exact, about, over, ...), the date it is as of, and the quote it comes from. "
    "Add `format=csv` for the whole filtered set as CSV.",
    example_key="northbound-travel-participating-cars",
)
