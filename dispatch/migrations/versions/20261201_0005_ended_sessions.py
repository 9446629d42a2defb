"""logging out ends the login on the server: its tokens are refused, renewed or not

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:05:00

Logging out only forgot the token in the browser; a copy of it stayed good for half an
hour and, once pages renew tokens, could be renewed for a whole shift.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ended_session",
        sa.Column("session_id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forget_after", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ended_session_forget_after", "ended_session", ["forget_after"])


def downgrade() -> None:
    op.drop_table("ended_session")
