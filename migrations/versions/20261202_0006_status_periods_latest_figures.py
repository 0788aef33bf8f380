"""derived state for reads at scale: status periods, and each series' latest figure

`status_period` holds each initiative's status per period between its statements' effective
dates (with its area and kind), so that facets as of a date read an index range instead of
working out each initiative's status; `metric.latest_of_series` marks each series' latest
figure, so that a summary of every series needs no ranking of every figure. Both are filled
here from the rows in place (app/loader/periods.py, which the loader runs after every load).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.loader.periods import derive_latest_observations, derive_status_periods

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'planned', 'in_progress', 'launched', 'ongoing', 'completed', 'completed_modified', 'stalled', 'dropped'"
KINDS = (
    "'scheme', 'programme', 'platform', 'institution', 'plan', 'policy', 'facility', 'event', 'project', "
    "'mechanism', 'zone', 'examination'"
)


def upgrade() -> None:
    op.create_table(
        "status_period",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_status_period_status_vocab")),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_status_period_kind_vocab")),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_status_period_area_id_area")),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_status_period_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "from_on", name=op.f("pk_status_period")),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("latest_of_series", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
    connection = op.get_bind()
    derive_status_periods(connection)
    derive_latest_observations(connection)
    # Indexes after the rows: built once, not maintained row by row.
    op.create_index(
        "ix_status_period_area_until_from", "status_period", ["area_id", "until_on", "from_on", "status", "kind"]
    )
    op.create_index(
        "ix_status_period_until_from", "status_period", ["until_on", "from_on", "status", "kind", "area_id"]
    )
    op.create_index(
        "ix_metric_latest_unit",
        "metric",
        ["unit", "area_id", "as_of_end", "value"],
        sqlite_where=sa.text("latest_of_series = 1"),
        postgresql_where=sa.text("latest_of_series"),
    )


def downgrade() -> None:
    op.drop_index("ix_metric_latest_unit", table_name="metric")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_column("latest_of_series")
    op.drop_table("status_period")
