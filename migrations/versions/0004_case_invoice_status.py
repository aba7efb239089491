"""The invoice status a supplier looked at on /suivre-ma-facture, kept on their case.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("invoice_status", sa.String(40), nullable=True))
        batch.add_column(sa.Column("invoice_status_live", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("invoice_status_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("invoice_status_at")
        batch.drop_column("invoice_status_live")
        batch.drop_column("invoice_status")
