"""Every resource the API serves, by its URL noun."""

from app.query.resources.agreements import AGREEMENTS
from app.query.resources.directory import AREAS, OFFICIALS, ORGANISATIONS, PLACES
from app.query.resources.initiatives import INITIATIVES
from app.query.resources.meetings import DOCUMENTS, MEETINGS
from app.query.resources.metrics import METRICS
from app.query.resources.milestones import MILESTONES
from app.query.resources.series import SERIES
from app.query.spec import ResourceSpec

RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in (
        AREAS,
        INITIATIVES,
        AGREEMENTS,
        METRICS,
        SERIES,
        MILESTONES,
        ORGANISATIONS,
        OFFICIALS,
        PLACES,
        MEETINGS,
        DOCUMENTS,
    )
}
