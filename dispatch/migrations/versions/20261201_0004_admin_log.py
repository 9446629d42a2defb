"""the admin log: who changed users, teams, rotas and rules; append-only

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 00:04:00

A locked-out leader, a reset password or a changed rota decides who gets a resident's
order: the desk must be able to say who did it and when. Refused UPDATE and DELETE the
same way as order_event (0002).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dispatch.migrations.append_only import allow_changes, refuse_changes

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "admin_action is append-only: the log records, it is not edited"


def upgrade() -> None:
    op.create_table(
        "admin_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_admin_action_at", "admin_action", ["at"])
    op.create_index("ix_admin_action_action", "admin_action", ["action"])
    op.create_index("ix_admin_action_target", "admin_action", ["target"])
    refuse_changes("admin_action", MESSAGE)


def downgrade() -> None:
    allow_changes("admin_action")
    op.drop_table("admin_action")
