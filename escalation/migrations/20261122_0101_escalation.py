"""escalation: SLA snapshots, escalation steps, accept codes, extensions, recurring runs, deliveries

Revision ID: 0101
Revises: 0001
Create Date: 2026-11-22 01:01:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0101"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "order_sla",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), primary_key=True),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("clock_started_at", TS, nullable=False),
        sa.Column("on_site_due_at", TS, nullable=True),
        sa.Column("resolve_round", sa.Integer(), nullable=False),
    )
    op.create_table(
        "escalation_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("chain", sa.String(length=8), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("offset_seconds", sa.Integer(), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("ran_at", TS, nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("order_id", "chain", "round", "step_no", name="uq_escalation_step"),
    )
    op.create_index("ix_escalation_step_order_id", "escalation_step", ["order_id"])
    op.create_index("ix_escalation_step_status_due", "escalation_step", ["status", "due_at"])

    op.create_table(
        "accept_code",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("team_code", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
    )
    op.create_index("ix_accept_code_code_phone", "accept_code", ["code", "phone"])
    op.create_index("ix_accept_code_order_id", "accept_code", ["order_id"])

    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("team_code", sa.String(length=64), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("requested_due_at", TS, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_extension_request_order_id", "extension_request", ["order_id"])
    op.create_index("ix_extension_request_status", "extension_request", ["status"])

    op.create_table(
        "recurring_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period_key", sa.String(length=100), nullable=False),
        sa.Column("ran_at", TS, nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.UniqueConstraint("job", "period_key", name="uq_recurring_run"),
    )

    op.create_table(
        "notification_delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.UniqueConstraint("step_id", "recipient", "channel", name="uq_delivery_step_recipient"),
    )
    op.create_index("ix_notification_delivery_order_id", "notification_delivery", ["order_id"])
    op.create_index(
        "ix_delivery_status_next", "notification_delivery", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("notification_delivery")
    op.drop_table("recurring_run")
    op.drop_table("extension_request")
    op.drop_table("accept_code")
    op.drop_table("escalation_step")
    op.drop_table("order_sla")
