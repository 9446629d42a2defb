"""The SLA copied onto an order at dispatch, and one row per escalation step with its due time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText, UTCDateTime
from escalation.policies.config import ChainName, StepKind


class StepStatus(StrEnum):
    pending = "pending"
    done = "done"
    cancelled = "cancelled"  # the order moved on (accepted, resolved, closed, cancelled)
    skipped = "skipped"  # found stale when it came due


class OrderSla(SQLModel, table=True):
    """The policy as it was when the order was first dispatched: later edits never touch it."""

    __tablename__ = "order_sla"

    order_id: int = Field(primary_key=True, foreign_key="work_order.id")
    policy: str = Field(max_length=64)
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    clock_started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    on_site_due_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    resolve_round: int = 1


class EscalationStep(SQLModel, table=True):
    __tablename__ = "escalation_step"
    __table_args__ = (
        UniqueConstraint("order_id", "chain", "round", "step_no", name="uq_escalation_step"),
        # The sweeper's only question ("pending and due by now?") reads this index and
        # nothing else: its cost follows what is due, not how many orders are open.
        Index("ix_escalation_step_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    chain: ChainName = Field(sa_type=EnumText(ChainName, 8))
    round: int = 1
    step_no: int
    kind: StepKind = Field(sa_type=EnumText(StepKind, 40))
    offset_seconds: int
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: StepStatus = Field(sa_type=EnumText(StepStatus, 12))
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    claimed_by: str | None = Field(default=None, max_length=64)
    claim_token: str | None = Field(default=None, max_length=32)
    ran_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    late: bool = False
    note: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
