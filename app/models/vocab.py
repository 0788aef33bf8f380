"""The closed vocabularies of the register, shared by tables, CHECK constraints,
API schemas and the seed validator. docs/VOCABULARY.md explains each value.

A table column names its vocabulary once, in its info
(`mapped_column(String(20), info={VOCABULARY: PlaceKind})`): its CHECK constraint
(app/db/base.py) and the export's enum (app/export/datapackage.py) are read from there.
A new value needs a migration that changes the constraint in existing databases."""

from enum import StrEnum


class Jurisdiction(StrEnum):
    HKSAR = "hksar"
    GUANGDONG = "guangdong"
    MACAO = "macao"
    CENTRAL = "central"
    MUNICIPAL = "municipal"  # a Guangdong city's own government (Shenzhen, Zhuhai, ...)
    OTHER = "other"


class OrganisationKind(StrEnum):
    GOVERNMENT = "government"
    DEPARTMENT = "department"  # bureau, department, office within a government
    STATUTORY_BODY = "statutory_body"  # Airport Authority, HKTDC, Hospital Authority
    PARTY_BODY = "party_body"  # organs of the Communist Party of China
    COMMITTEE = "committee"  # joint committees, expert groups, organising committees
    UNIVERSITY = "university"
    HOSPITAL = "hospital"
    OTHER = "other"


class PlaceKind(StrEnum):
    REGION = "region"  # the Greater Bay Area itself
    CITY = "city"
    DISTRICT = "district"
    ZONE = "zone"  # co-operation zones and parks (Hetao, the Loop)


class Honorific(StrEnum):
    MR = "Mr"
    MS = "Ms"
    MISS = "Miss"
    DR = "Dr"
    PROFESSOR = "Professor"
    PRESIDENT = "President"


class ParticipationRole(StrEnum):
    CO_CHAIR = "co_chair"
    DELEGATION_MEMBER = "delegation_member"
    SPECIAL_GUEST = "special_guest"
    MET_WITH = "met_with"  # met the delegation around the meeting
    MENTIONED = "mentioned"  # named in the document, not at the meeting


class Side(StrEnum):
    HKSAR = "hksar"
    GUANGDONG = "guangdong"
    CENTRAL = "central"


class InitiativeKind(StrEnum):
    SCHEME = "scheme"
    PROGRAMME = "programme"
    PLATFORM = "platform"
    INSTITUTION = "institution"
    PLAN = "plan"
    POLICY = "policy"
    FACILITY = "facility"
    EVENT = "event"
    PROJECT = "project"
    MECHANISM = "mechanism"
    ZONE = "zone"
    EXAMINATION = "examination"


class InitiativeStatus(StrEnum):
    """Where a commitment stands as the document states it (see docs/VOCABULARY.md)."""

    PLANNED = "planned"  # announced or intended; work not yet visibly started
    IN_PROGRESS = "in_progress"  # being prepared, discussed or built; not yet delivered
    LAUNCHED = "launched"  # delivered or started recently, running
    ONGOING = "ongoing"  # a standing activity that continues
    COMPLETED = "completed"  # done as promised, nothing further promised
    COMPLETED_MODIFIED = "completed_modified"  # done, but in a changed form (scope, scale, partners)
    STALLED = "stalled"  # was under way; reported delayed, suspended or facing obstacles
    DROPPED = "dropped"  # no longer pursued, or replaced by something else


# Statuses that count as delivered: a target is met (or met late) when one of these takes effect.
COMPLETED_STATUSES = (InitiativeStatus.COMPLETED, InitiativeStatus.COMPLETED_MODIFIED)


class AgreementKind(StrEnum):
    AGREEMENT = "agreement"
    FRAMEWORK_AGREEMENT = "framework_agreement"
    MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding"
    ARRANGEMENT = "arrangement"


class MetricUnit(StrEnum):
    PERSONS = "persons"
    VEHICLES = "vehicles"
    VEHICLES_PER_DAY = "vehicles_per_day"
    PERCENT = "percent"
    OFFICES = "offices"
    PROJECTS = "projects"
    INSTITUTIONS = "institutions"
    SCHOOLS = "schools"
    CITIES = "cities"
    TIMES = "times"  # how often something has been held
    YEARS = "years"
    STUDY_TOURS = "study_tours"
    ACTIVITIES = "activities"
    AGREEMENTS = "agreements"
    GOVERNMENTS = "governments"


class UnitDimension(StrEnum):
    """What kind of quantity a unit measures: whether figures are things at a time, per time, a share
    or a length of time (a chart's axis and a reader's arithmetic differ for each)."""

    COUNT = "count"  # how many things there are (or were held) at a time
    FLOW = "flow"  # how many things per unit of time (a daily average)
    RATIO = "ratio"  # a share or a change, relative to another quantity
    DURATION = "duration"  # a length of time


# Each unit's words for a person and its dimension; docs/VOCABULARY.md ("MetricUnit") lists them.
UNIT_LABELS: dict[MetricUnit, tuple[str, UnitDimension]] = {
    MetricUnit.PERSONS: ("persons", UnitDimension.COUNT),
    MetricUnit.VEHICLES: ("vehicles", UnitDimension.COUNT),
    MetricUnit.VEHICLES_PER_DAY: ("vehicles per day", UnitDimension.FLOW),
    MetricUnit.PERCENT: ("per cent", UnitDimension.RATIO),
    MetricUnit.OFFICES: ("offices", UnitDimension.COUNT),
    MetricUnit.PROJECTS: ("projects", UnitDimension.COUNT),
    MetricUnit.INSTITUTIONS: ("institutions", UnitDimension.COUNT),
    MetricUnit.SCHOOLS: ("schools", UnitDimension.COUNT),
    MetricUnit.CITIES: ("cities", UnitDimension.COUNT),
    MetricUnit.TIMES: ("times held", UnitDimension.COUNT),
    MetricUnit.YEARS: ("years", UnitDimension.DURATION),
    MetricUnit.STUDY_TOURS: ("study tours", UnitDimension.COUNT),
    MetricUnit.ACTIVITIES: ("activities", UnitDimension.COUNT),
    MetricUnit.AGREEMENTS: ("agreements", UnitDimension.COUNT),
    MetricUnit.GOVERNMENTS: ("governments", UnitDimension.COUNT),
}


class MetricQualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    OVER = "over"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    UP_TO = "up_to"


class MilestoneKind(StrEnum):
    HAPPENED = "happened"  # in the past at the document's date
    SCHEDULED = "scheduled"  # a future event with a set date
    TARGET = "target"  # a deadline or aim the commitment is to meet


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    SCHOOL_YEAR = "school_year"
    YEAR = "year"


class DateQualifier(StrEnum):
    ON = "on"  # at some point within [start, end]
    BY = "by"  # no later than end
    FROM = "from"  # starting at start, open-ended
    BEFORE = "before"  # strictly before end


class OrganisationRole(StrEnum):
    """An organisation's part in an initiative."""

    LEAD = "lead"
    PARTNER = "partner"


class MilestoneOutcome(StrEnum):
    """What became of a target milestone, from the status history (computed, not stored)."""

    MET = "met"  # completed within the target's latest possible date
    MET_LATE = "met_late"  # completed, but after the target's latest possible date
    MISSED = "missed"  # past its latest possible date and not completed
    PENDING = "pending"  # not completed, not yet past due
    SUPERSEDED = "superseded"  # a later document set a new target for the same thing


class DueState(StrEnum):
    """Where an initiative stands against its target as of a given date (computed, not stored)."""

    NO_TARGET = "no_target"  # no target milestone
    COMPLETED = "completed"  # status completed (as promised or modified): the target no longer matters
    OVERDUE = "overdue"  # the target's latest possible date has passed
    DUE_WINDOW = "due_window"  # the as-of date lies inside the target's interval
    NOT_YET_DUE = "not_yet_due"  # the target's interval has not begun


class HistoryKind(StrEnum):
    """What an entry of an initiative's history records (GET /initiatives/{key}/history)."""

    STATUS = "status"  # a document's status statement
    TARGET_REACHED = "target_reached"  # a document says one of its targets was achieved
    TARGET_SUPERSEDED = "target_superseded"  # a later document set a new target in its place
    TARGET_MISSED = "target_missed"  # a target's latest possible date passed, not reached (computed)
    OBSERVATION = "observation"  # a figure reported about it


class ChangeKind(StrEnum):
    """What a document added or changed (GET /changes, /documents/{key}/changes)."""

    RECORD_ADDED = "record_added"  # a record it defines (initiative, agreement, area, official, ...)
    STATUS_CHANGED = "status_changed"  # a status statement that differs from the one before it
    OBSERVATION_ADDED = "observation_added"  # a new figure of a series
    TARGET_MET = "target_met"  # a target reached by its latest possible date
    TARGET_MET_LATE = "target_met_late"  # a target reached after its latest possible date
    TARGET_SUPERSEDED = "target_superseded"  # a new target replacing an earlier one
    POST_STARTED = "post_started"  # an official in a post the register did not hold
    POST_ENDED = "post_ended"  # an official's post replaced by a new one


class RecordType(StrEnum):
    """The kind of record a change is about; each is served at its own URL."""

    AREA = "area"
    PLACE = "place"
    ORGANISATION = "organisation"
    OFFICIAL = "official"
    MEETING = "meeting"
    INITIATIVE = "initiative"
    AGREEMENT = "agreement"
    METRIC_SERIES = "metric_series"
    METRIC = "metric"  # one observation of a series
    MILESTONE = "milestone"


# Names of coded values that are not their code's words.
_NAMES: dict[str, str] = {
    Jurisdiction.HKSAR.value: "HKSAR",
    **{unit.value: label for unit, (label, _) in UNIT_LABELS.items()},
}


def name_of(value: str) -> str:
    """A coded value in words, for a reader (a filter sidebar): `in_progress` -> "in progress",
    `vehicles_per_day` -> "vehicles per day"."""
    return _NAMES.get(value, value.replace("_", " "))


class KeyScope(StrEnum):
    """What an API key may do (docs/CURATING.md)."""

    CURATE = "curate"  # record documents, statements and records; patch, withdraw
    ADMIN = "admin"  # all a curator may, and read the audit trail
