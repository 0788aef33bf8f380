"""The Data Package export reads the same from either engine and is valid Frictionless."""

from pathlib import Path

from frictionless import validate
from sqlalchemy import Engine, text

from app.export.datapackage import export_datapackage


def test_the_export_of_each_engine_is_a_valid_data_package(seeded_engine: Engine, tmp_path: Path) -> None:
    tables = {table.name: table.rows for table in export_datapackage(seeded_engine, tmp_path)}
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "type", "note"])[:5]
    with seeded_engine.connect() as connection:
        for name in ("initiative", "metric", "milestone", "agreement_party"):
            assert tables[name] == connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
