"""协商会议: how many times a meeting's time was moved, so one moved away and back to a time
it was already reminded of is reminded of it again

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 0 for the meetings already there, whatever their moves: their reminders keep the claim
    # keys they have today, so a desk upgraded within the two hours does not remind twice.
    op.add_column(
        "consultation_meeting",
        sa.Column("time_moves", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("consultation_meeting") as batch:
        batch.drop_column("time_moves")
