"""交接班: the outgoing operator's note to the next shift, what stood open at the desk then,
and who took it over when

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shift_handover",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("handed_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_shift_handover_handed_at", "shift_handover", ["handed_at"])


def downgrade() -> None:
    op.drop_table("shift_handover")
