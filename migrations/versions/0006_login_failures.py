"""Several servers share one set of counters: staff sign-in failures move to the database, and
each callback request keeps a hash of the client's address for the rate limit.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

utc = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", utc, nullable=False),
        sa.Column("locked_until", utc, nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_last_failure_at", "login_failures", ["last_failure_at"])
    with op.batch_alter_table("callback_requests") as batch:
        batch.add_column(sa.Column("address_key", sa.String(64), nullable=True))
        batch.create_index("ix_callback_requests_address_key", ["address_key"])


def downgrade() -> None:
    with op.batch_alter_table("callback_requests") as batch:
        batch.drop_index("ix_callback_requests_address_key")
        batch.drop_column("address_key")
    op.drop_index("ix_login_failures_last_failure_at", table_name="login_failures")
    op.drop_table("login_failures")
