"""Callback requests and the kiosk's small key/value table.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

utc = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("siret", sa.String(14), nullable=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("preferred_start", utc, nullable=True),
        sa.Column("preferred_end", utc, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("staff_note", sa.Text(), nullable=True),
        sa.Column("consent_at", utc, nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.Column("handled_at", utc, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_callback_requests"),
        sa.UniqueConstraint("reference", name="uq_callback_requests_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_callback_requests_idempotency_key"),
    )
    op.create_index("ix_callback_requests_client_key", "callback_requests", ["client_key"])
    op.create_index("ix_callback_requests_created_at", "callback_requests", ["created_at"])
    op.create_index("ix_callback_requests_status", "callback_requests", ["status"])
    op.create_table(
        "kiosk_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kiosk_meta"),
    )


def downgrade() -> None:
    op.drop_table("kiosk_meta")
    op.drop_index("ix_callback_requests_status", table_name="callback_requests")
    op.drop_index("ix_callback_requests_created_at", table_name="callback_requests")
    op.drop_index("ix_callback_requests_client_key", table_name="callback_requests")
    op.drop_table("callback_requests")
