"""组内派工: the member of the team a leader handed the team's part of an order to

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Named: SQLite's batch mode copies the table and can only drop a constraint it can name.
FOREIGN_KEY = "fk_order_assignment_handler_id_app_user"


def upgrade() -> None:
    with op.batch_alter_table("order_assignment") as batch:
        batch.add_column(sa.Column("handler_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(FOREIGN_KEY, "app_user", ["handler_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("order_assignment") as batch:
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("handler_id")
