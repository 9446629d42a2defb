"""协商会议: consultation meetings about one or several orders, with the teams invited

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("called_by", sa.String(length=100), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=4000), nullable=True),
        sa.Column("attended", sa.JSON(), nullable=False),
        sa.Column("cancel_reason", sa.String(length=1000), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_consultation_meeting_starts_at", "consultation_meeting", ["starts_at"])
    op.create_index("ix_consultation_meeting_status", "consultation_meeting", ["status"])
    op.create_table(
        "meeting_order",
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("consultation_meeting.id"),
            primary_key=True,
        ),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_meeting_order_order_id", "meeting_order", ["order_id"])


def downgrade() -> None:
    op.drop_table("meeting_order")
    op.drop_table("consultation_meeting")
