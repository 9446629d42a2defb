"""the order event log refuses UPDATE and DELETE: the audit trail is append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:02:00

The code only ever inserts events; the database now says so too, so neither a bug nor a
hand-typed statement can rewrite an order's history (民情日志). On PostgreSQL a row trigger
refuses UPDATE and DELETE and a statement trigger refuses TRUNCATE; on SQLite two
triggers RAISE(ABORT). Correcting history means appending an event, never editing one.
"""

from collections.abc import Sequence

from dispatch.migrations.append_only import allow_changes, refuse_changes

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "order_event is append-only: add an event instead of changing one"


def upgrade() -> None:
    refuse_changes("order_event", MESSAGE)


def downgrade() -> None:
    allow_changes("order_event")
