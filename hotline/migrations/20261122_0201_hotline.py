"""hotline: call records, SMS log, 12345 upstream orders, the outbox

Revision ID: 0201
Revises: 0001
Create Date: 2026-11-22 02:01:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0201"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("to_number", sa.String(length=32), nullable=False),
        sa.Column("caller_phone", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("menu_choice", sa.String(length=8), nullable=True),
        sa.Column("category_code", sa.String(length=64), nullable=True),
        sa.Column("speech", sa.String(length=4000), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("call_status", sa.String(length=16), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("emergency_reminded", sa.Boolean(), nullable=False),
        sa.Column("diverted_to_emergency", sa.Boolean(), nullable=False),
        sa.Column("queue_result", sa.String(length=32), nullable=True),
        sa.Column("recording_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["work_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_sid"),
    )
    op.create_index("ix_call_record_caller_phone", "call_record", ["caller_phone"])
    op.create_index("ix_call_record_order_id", "call_record", ["order_id"])

    op.create_table(
        "sms_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("from_number", sa.String(length=32), nullable=False),
        sa.Column("body", sa.String(length=1600), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("reply", sa.String(length=1600), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["work_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_sid"),
    )
    op.create_index("ix_sms_message_from_number", "sms_message", ["from_number"])

    op.create_table(
        "upstream_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upstream_number", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("upstream_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["work_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("upstream_number"),
    )
    op.create_index("ix_upstream_order_order_id", "upstream_order", ["order_id"])

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["work_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("destination", "event_id", name="uq_outbox_destination_event"),
    )
    op.create_index("ix_outbox_due", "outbox_message", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_stream", "outbox_message", ["destination", "order_id", "id"])


def downgrade() -> None:
    op.drop_table("outbox_message")
    op.drop_table("upstream_order")
    op.drop_table("sms_message")
    op.drop_table("call_record")
