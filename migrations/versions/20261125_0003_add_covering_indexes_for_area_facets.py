"""add covering indexes for facet counts and metric summaries within one area

Facets over one area's initiatives (status, kind) and the metrics summary of one area
(count, min, max, sum of value per unit) read the index alone instead of visiting every
row of the area.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_initiative_area_id_status", "initiative", ["area_id", "status"])
    op.create_index("ix_initiative_area_id_kind", "initiative", ["area_id", "kind"])
    op.create_index("ix_metric_area_id_unit_value", "metric", ["area_id", "unit", "value"])


def downgrade() -> None:
    op.drop_index("ix_metric_area_id_unit_value", table_name="metric")
    op.drop_index("ix_initiative_area_id_kind", table_name="initiative")
    op.drop_index("ix_initiative_area_id_status", table_name="initiative")
