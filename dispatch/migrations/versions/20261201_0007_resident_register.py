"""the register of assisted residents is kept up to date: an address for the visits, and
residents taken off the register without losing their record

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:07:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assistedresident") as batch:
        batch.add_column(sa.Column("address", sa.String(200), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("assistedresident") as batch:
        batch.drop_column("active")
        batch.drop_column("address")
