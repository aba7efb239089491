"""Shared page picture on cases; anonymous check events; callback statuses called/resolved.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

utc = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("page_image", sa.LargeBinary(), nullable=True))
    op.create_table(
        "check_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_check_events"),
    )
    op.create_index("ix_check_events_created_at", "check_events", ["created_at"])
    op.create_table(
        "check_event_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["check_events.id"], ondelete="CASCADE",
                                name="fk_check_event_issues_event_id_check_events"),
        sa.PrimaryKeyConstraint("id", name="pk_check_event_issues"),
    )
    op.create_index("ix_check_event_issues_event_id", "check_event_issues", ["event_id"])
    op.create_index("ix_check_event_issues_code", "check_event_issues", ["code"])
    # Statuses were new / done / cancelled; "done" becomes "resolved" (new: "called").
    op.execute("UPDATE callback_requests SET status = 'resolved' WHERE status = 'done'")


def downgrade() -> None:
    op.execute("UPDATE callback_requests SET status = 'done' WHERE status IN ('called', 'resolved')")
    op.drop_index("ix_check_event_issues_code", table_name="check_event_issues")
    op.drop_index("ix_check_event_issues_event_id", table_name="check_event_issues")
    op.drop_table("check_event_issues")
    op.drop_index("ix_check_events_created_at", table_name="check_events")
    op.drop_table("check_events")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("page_image")
