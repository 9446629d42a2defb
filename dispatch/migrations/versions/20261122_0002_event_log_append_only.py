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

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "order_event is append-only: add an event instead of changing one"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION order_event_refuse_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER order_event_append_only BEFORE UPDATE OR DELETE ON order_event "
            "FOR EACH ROW EXECUTE FUNCTION order_event_refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER order_event_no_truncate BEFORE TRUNCATE ON order_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION order_event_refuse_change()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER order_event_no_{verb.lower()} BEFORE {verb} ON order_event "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({verb} refused)'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS order_event_no_truncate ON order_event")
        op.execute("DROP TRIGGER IF EXISTS order_event_append_only ON order_event")
        op.execute("DROP FUNCTION IF EXISTS order_event_refuse_change()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS order_event_no_{verb}")
