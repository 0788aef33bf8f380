"""/areas, /organisations, /officials, /places"""

from fastapi import APIRouter
from pydantic import Field

from app.api.collection import add_collection
from app.api.params import Filters, SlugList, slugs
from app.api.routing import DirectRoute
from app.api.schemas import Area, Official, Organisation, Place
from app.models.vocab import Jurisdiction, OrganisationKind, ParticipationRole, PlaceKind
from app.query.resources import AREAS, OFFICIALS, ORGANISATIONS, PLACES

areas = APIRouter(tags=["areas"], route_class=DirectRoute)
organisations = APIRouter(tags=["organisations"], route_class=DirectRoute)
officials = APIRouter(tags=["officials"], route_class=DirectRoute)
places = APIRouter(tags=["places"], route_class=DirectRoute)


class AreaFilters(Filters):
    pass


class OrganisationFilters(Filters):
    jurisdiction: list[Jurisdiction] = Field(default_factory=list, description="hksar, guangdong, ...")
    kind: list[OrganisationKind] = Field(default_factory=list, description="government, department, ...")


class OfficialFilters(Filters):
    organisation: SlugList = slugs("Organisations the official held a post in.", "hksar-government")
    meeting: SlugList = slugs("Meetings the official took part in.", "24th-plenary")
    role: list[ParticipationRole] = Field(default_factory=list, description="Role at a meeting.")


class PlaceFilters(Filters):
    kind: list[PlaceKind] = Field(default_factory=list, description="city, district, zone, region.")


add_collection(
    areas,
    AREAS,
    AreaFilters,
    Area,
    example_key="healthcare",
    list_description="Fields of co-operation, as the documents' section headings name them.",
)
add_collection(
    organisations,
    ORGANISATIONS,
    OrganisationFilters,
    Organisation,
    example_key="hksar-government",
    list_description="Governments, departments, authorities, universities and hospitals.",
)
add_collection(
    officials,
    OFFICIALS,
    OfficialFilters,
    Official,
    example_key="john-lee",
    list_description="Named people, with the posts they held and their roles at meetings.",
)
add_collection(
    places,
    PLACES,
    PlaceFilters,
    Place,
    example_key="nansha",
    list_description="Cities, districts and zones that initiatives concern.",
)
