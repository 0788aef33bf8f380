"""curation: API keys, the append-only audit trail, withdrawn statements, recorded_by/recorded_at

Rows already loaded keep every value: the new columns are null (loaded from the seed, never
withdrawn). The audit trail refuses UPDATE and DELETE in the database itself, by triggers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:34:54.632792
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables a curator may add rows to through the API, and the statements one may withdraw.
RECORDED = (
    "agreement",
    "document",
    "initiative",
    "metric",
    "metric_series",
    "milestone",
    "official",
    "organisation",
    "place",
    "post",
    "status_statement",
    "target_reached",
)
WITHDRAWABLE = ("status_statement", "target_reached")
REFUSAL = "audit_entry is append-only"


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('curate', 'admin')", name=op.f("ck_api_key_scope_vocab")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("name", name=op.f("uq_api_key_name")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_name", sa.String(length=120), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_key_name"), ["key_name"], unique=False)
        batch_op.create_index("ix_audit_entry_recorded_at_id", ["recorded_at", "id"], unique=False)
    for table in RECORDED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in WITHDRAWABLE:
                batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
                batch_op.add_column(sa.Column("withdrawn_by", sa.String(length=120), nullable=True))
                batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("recorded_by", sa.String(length=120), nullable=True))
            batch_op.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    _refuse_changes_to_the_audit()


def _refuse_changes_to_the_audit() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_entry_no_{action.lower()} BEFORE {action} ON audit_entry "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {action} refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
        op.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION audit_entry_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute("DROP TRIGGER audit_entry_no_delete")
    for table in reversed(RECORDED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("recorded_at")
            batch_op.drop_column("recorded_by")
            if table in WITHDRAWABLE:
                batch_op.drop_column("withdrawn_at")
                batch_op.drop_column("withdrawn_by")
                batch_op.drop_column("withdrawn_reason")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_recorded_at_id")
        batch_op.drop_index(batch_op.f("ix_audit_entry_key_name"))
    op.drop_table("audit_entry")
    op.drop_table("api_key")
