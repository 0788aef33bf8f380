"""The Data Package export reads the same from either engine and is valid Frictionless."""

from enum import StrEnum
from pathlib import Path

from frictionless import validate
from sqlalchemy import Engine, text

from app.db.base import Base
from app.export.datapackage import SKIPPED_TABLES, export_datapackage, package_descriptor
from app.models import vocab


def test_the_export_of_each_engine_is_a_valid_data_package(seeded_engine: Engine, tmp_path: Path) -> None:
    tables = {table.name: table.rows for table in export_datapackage(seeded_engine, tmp_path)}
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])[:5]
    with seeded_engine.connect() as connection:
        for name in ("initiative", "metric", "milestone", "agreement_party"):
            assert tables[name] == connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()


# Every column held to a closed vocabulary, spelled out here so that a column that loses its
# vocabulary (or gains one) fails the test rather than vanishing from the descriptor.
VOCABULARY_COLUMNS: dict[tuple[str, str], type[StrEnum]] = {
    ("agreement", "kind"): vocab.AgreementKind,
    ("agreement", "signed_precision"): vocab.DatePrecision,
    ("place", "kind"): vocab.PlaceKind,
    ("initiative", "kind"): vocab.InitiativeKind,
    ("initiative", "status"): vocab.InitiativeStatus,
    ("initiative_organisation", "role"): vocab.OrganisationRole,
    ("metric", "unit"): vocab.MetricUnit,
    ("metric", "qualifier"): vocab.MetricQualifier,
    ("metric", "as_of_precision"): vocab.DatePrecision,
    ("milestone", "kind"): vocab.MilestoneKind,
    ("milestone", "precision"): vocab.DatePrecision,
    ("milestone", "qualifier"): vocab.DateQualifier,
    ("official", "honorific"): vocab.Honorific,
    ("participation", "role"): vocab.ParticipationRole,
    ("participation", "side"): vocab.Side,
    ("organisation", "jurisdiction"): vocab.Jurisdiction,
    ("organisation", "kind"): vocab.OrganisationKind,
    ("metric_series", "unit"): vocab.MetricUnit,
    ("status_statement", "status"): vocab.InitiativeStatus,
    ("status_statement", "effective_precision"): vocab.DatePrecision,
    ("status_statement", "effective_qualifier"): vocab.DateQualifier,
    ("target_reached", "effective_precision"): vocab.DatePrecision,
    ("target_reached", "effective_qualifier"): vocab.DateQualifier,
}


def test_each_vocabulary_column_lists_its_vocabulary_in_order_and_no_other_column_has_one() -> None:
    tables = [table for table in Base.metadata.sorted_tables if table.name not in SKIPPED_TABLES]
    enums = {
        (resource["name"], field["name"]): field["constraints"]["enum"]
        for resource in package_descriptor(tables)["resources"]
        for field in resource["schema"]["fields"]
        if "enum" in field.get("constraints", {})
    }
    assert enums == {key: [member.value for member in vocabulary] for key, vocabulary in VOCABULARY_COLUMNS.items()}
