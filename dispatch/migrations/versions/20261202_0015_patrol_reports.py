"""an index for a field worker's own patrol reports (我的上报), newest first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_work_order_reporter", "work_order", ["created_by_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_work_order_reporter", table_name="work_order")
