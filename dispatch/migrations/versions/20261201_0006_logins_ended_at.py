"""an admin can end all of a user's logins at once (a lost phone), and locking a user out
ends them for good: unlocking does not bring the old tokens back

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 00:06:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("logins_ended_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("logins_ended_at")
