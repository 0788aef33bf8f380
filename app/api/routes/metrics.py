"""/metrics and /metrics/series"""

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Metric, Series
from app.models.vocab import MetricQualifier, MetricUnit
from app.query.resources import METRICS, SERIES

router = APIRouter(tags=["metrics"], route_class=DirectRoute)

AREA = slugs("Areas of co-operation (repeatable).", "transport-and-logistics")
UNIT: Any = Field(default_factory=list, description="Unit of the value.")
INITIATIVE = "northbound-travel-for-hong-kong-vehicles"


class MetricFilters(Filters):
    area: SlugList = AREA
    unit: list[MetricUnit] = UNIT
    qualifier: list[MetricQualifier] = Field(default_factory=list, description="exact, about, over, ...")
    initiative: SlugList = slugs("The initiative a figure belongs to.", INITIATIVE)
    document: SlugList = slugs("Source documents.", "24th-plenary-press-release")
    series: SlugList = slugs("The series a figure is an observation of.", "northbound-travel-participating-cars")
    value_min: float | None = Field(None, description="Value at least this.", allow_inf_nan=False, examples=[1000])
    value_max: float | None = Field(None, description="Value at most this.", allow_inf_nan=False, examples=[100])
    as_of_from: date | None = Field(
        None, description="As-of period starts on or after this date.", examples=["2024-01-01"]
    )
    as_of_to: date | None = Field(
        None, description="As-of period ends on or before this date.", examples=["2024-07-12"]
    )


class SeriesFilters(Filters):
    area: SlugList = AREA
    unit: list[MetricUnit] = UNIT
    initiative: SlugList = slugs("The initiative a series belongs to.", INITIATIVE)
    document: SlugList = slugs("Series with an observation from these documents.", "24th-plenary-press-release")


# Before /metrics: /metrics/{key} would otherwise take "series" for a metric's slug.
add_collection(
    router,
    SERIES,
    SeriesFilters,
    Series,
    path="/metrics/series",
    list_description='Each measure the documents report over time ("cars in Northbound Travel"), '
    "with how many observations it has and its latest one (the latest as-of date, then the last "
    "recorded). Every figure of /metrics is one observation of one series (its `series`). "
    "`q` finds the series with an observation matching the search. "
    "Add `format=csv` for the whole filtered set as CSV.",
    example_key="northbound-travel-participating-cars",
    detail_description="One series by numeric id or slug (e.g. `northbound-travel-participating-cars`), "
    "with every observation in date order (as-of end, then id): value, unit, qualifier, as-of "
    "period and phrase, and its source (document, title, publication date, quote and span).",
)
add_collection(
    router,
    METRICS,
    MetricFilters,
    Metric,
    list_description="Every figure the documents report, normalised: value, unit, qualifier "
    "(exact, about, over, ...), the date it is as of, and the quote it comes from. Each figure is "
    "one observation of a series (`series`; see /metrics/series): the same measure reported again "
    "by a later document is a further figure of the same series. "
    "Add `format=csv` for the whole filtered set as CSV.",
    example_key="northbound-travel-participating-cars",
)
