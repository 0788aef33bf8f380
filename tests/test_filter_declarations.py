"""A filter is declared twice, as a condition in its resource's spec and as a typed query
parameter, and the two are checked against each other both ways when the routes are
registered: a filter with no parameter could never be used, a parameter with no filter
would be ignored."""

from dataclasses import replace
from datetime import date

import pytest
from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import FilterMismatch, SlugList, check_filters, slugs
from app.api.routes.analysis import SummaryQuery, TimelineFilters, TimelineQuery
from app.api.routes.directory import PlaceFilters
from app.api.schemas import Place
from app.models import Place as PlaceRow
from app.query.filters import any_of, slug_in
from app.query.resources import MILESTONES, PLACES, RESOURCES
from app.query.spec import ResourceSpec


def _register(spec: ResourceSpec, filters: type[PlaceFilters]) -> None:
    add_collection(APIRouter(), spec, filters, Place, list_description="Places.", example_key="nansha")


def test_a_spec_filter_with_no_query_parameter_is_refused_when_the_routes_are_registered() -> None:
    spec = replace(PLACES, filters={**PLACES.filters, "name": any_of(PlaceRow.name)})
    with pytest.raises(
        FilterMismatch, match=r"resource 'places': filter 'name' has no query parameter in PlaceFilters"
    ):
        _register(spec, PlaceFilters)


def test_a_query_parameter_with_no_spec_filter_is_refused_when_the_routes_are_registered() -> None:
    class NamedPlaceFilters(PlaceFilters):
        name: list[str] = Field(default_factory=list, description="Place names.")

    with pytest.raises(
        FilterMismatch, match=r"resource 'places': query parameter 'name' of NamedPlaceFilters is no filter of the spec"
    ):
        _register(PLACES, NamedPlaceFilters)


def test_a_filter_named_like_a_general_parameter_is_refused() -> None:
    spec = replace(PLACES, filters={**PLACES.filters, "sort": any_of(PlaceRow.name)})

    class SortingPlaceFilters(PlaceFilters):
        sort: list[str] = Field(default_factory=list, description="Place names.")

    with pytest.raises(FilterMismatch, match=r"resource 'places': filter 'sort' has the name of a general parameter"):
        _register(spec, SortingPlaceFilters)


def test_every_mismatch_is_named_at_once() -> None:
    spec = replace(PLACES, filters={**PLACES.filters, "name": any_of(PlaceRow.name)})

    class DatedPlaceFilters(PlaceFilters):
        founded_from: date | None = Field(None, description="Founded on or after.")

    with pytest.raises(FilterMismatch) as raised:
        _register(spec, DatedPlaceFilters)
    assert "filter 'name' has no query parameter" in str(raised.value)
    assert "query parameter 'founded_from' of DatedPlaceFilters is no filter" in str(raised.value)


def test_the_analysis_queries_take_their_resources_filters_and_their_own_controls_only() -> None:
    exports = {"format", "bom"}
    check_filters(RESOURCES["metrics"], SummaryQuery, general={"group_by", "q", *exports})
    check_filters(MILESTONES, TimelineQuery, general={"period", "q", "limit", "cursor", *exports})
    check_filters(MILESTONES, TimelineFilters, general={"q", "limit", "cursor"})
    with pytest.raises(FilterMismatch, match="'cursor' of TimelineQuery is no filter"):
        check_filters(MILESTONES, TimelineQuery, general={"period", "q", "limit", *exports})
    with pytest.raises(FilterMismatch, match="'group_by' of SummaryQuery is no filter"):
        check_filters(RESOURCES["metrics"], SummaryQuery, general={"q", *exports})


@pytest.mark.parametrize("name", [name for name, spec in RESOURCES.items() if spec.history is not None])
def test_a_resource_read_from_its_history_takes_the_same_parameters(name: str) -> None:
    """A request with `as_of` or `known_at` is answered by the resource's history spec, with the
    query model built from the resource's own: every name must mean something in both."""
    spec = RESOURCES[name]
    history = spec.history
    assert history is not None and history.history is None and history.variant
    assert history.name == spec.name and history.singular == spec.singular
    for part in ("filters", "computed_filters", "computed", "sort_keys", "facets", "embeds"):
        assert list(getattr(history, part)) == list(getattr(spec, part)), part
    assert [c.key for c in history.columns] == [c.key for c in spec.columns]


def test_a_slug_parameter_whose_filter_is_not_declared_a_slug_filter_is_refused() -> None:
    """A slug filter declares whose slugs it takes, so that a value naming no record is a 422 with
    suggestions on every collection, without a line of per-route code."""

    class KindSlugPlaceFilters(PlaceFilters):
        region: SlugList = slugs("Regions.", "gba")

    spec = replace(PLACES, filters={**PLACES.filters, "region": any_of(PlaceRow.slug)})
    with pytest.raises(FilterMismatch, match="'region' takes slugs, but its filter is no SlugFilter"):
        _register(spec, KindSlugPlaceFilters)
    _register(replace(spec, filters={**PLACES.filters, "region": slug_in(PlaceRow.id, PlaceRow)}), KindSlugPlaceFilters)
