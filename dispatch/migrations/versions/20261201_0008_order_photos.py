"""现场照片: pictures of an order's scene, kept with the order

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:00:00

In the database, not on one instance's disk: every API instance serves them and a backup
of the database carries them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_photo",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("team_code", sa.String(length=64), sa.ForeignKey("team.code"), nullable=True),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_order_photo_order_id", "order_photo", ["order_id"])


def downgrade() -> None:
    op.drop_table("order_photo")
