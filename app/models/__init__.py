"""SQLAlchemy tables, one module per aggregate; importing this registers them all."""

from app.models.agreement import Agreement, AgreementParty
from app.models.area import Area, Place
from app.models.curation import ApiKey, AuditEntry
from app.models.derived import StatusPeriod
from app.models.document import Document, Meeting
from app.models.history import StatusStatement, TargetReached
from app.models.initiative import Initiative, InitiativeOrganisation, InitiativePlace
from app.models.metric import Metric, MetricSeries
from app.models.milestone import Milestone
from app.models.official import Official, Participation, Post, PostSource
from app.models.organisation import Organisation
from app.models.revision import DataRevision
from app.models.search import SearchEntry

__all__ = [
    "Agreement",
    "AgreementParty",
    "ApiKey",
    "Area",
    "AuditEntry",
    "DataRevision",
    "Document",
    "Initiative",
    "InitiativeOrganisation",
    "InitiativePlace",
    "Meeting",
    "Metric",
    "MetricSeries",
    "Milestone",
    "Official",
    "Organisation",
    "Participation",
    "Place",
    "Post",
    "PostSource",
    "SearchEntry",
    "StatusPeriod",
    "StatusStatement",
    "TargetReached",
]
