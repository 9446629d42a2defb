"""photos of long-closed orders can move to files: where each full picture went, and when

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_photo") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("archived_as", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_photo") as batch:
        batch.drop_column("archived_as")
        batch.drop_column("archived_at")
