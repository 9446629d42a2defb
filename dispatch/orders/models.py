"""Work orders (工单), the teams assigned to them, and the bookkeeping of numbers and retries."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ColumnElement, Index, String, UniqueConstraint, cast
from sqlmodel import Field, SQLModel

from dispatch.database import EnumText, UTCDateTime


class Channel(StrEnum):
    phone = "phone"
    sms = "sms"
    hotline_12345 = "12345"
    web = "web"
    patrol = "patrol"
    open311 = "open311"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class OrderStatus(StrEnum):
    received = "received"
    triage = "triage"
    dispatched = "dispatched"
    accepted = "accepted"
    in_progress = "in_progress"
    resolved = "resolved"
    closed = "closed"
    cancelled = "cancelled"


OPEN_STATUSES = (
    OrderStatus.received,
    OrderStatus.triage,
    OrderStatus.dispatched,
    OrderStatus.accepted,
    OrderStatus.in_progress,
)


class AssignmentRole(StrEnum):
    lead = "lead"
    assist = "assist"


class AssignmentStatus(StrEnum):
    dispatched = "dispatched"
    accepted = "accepted"
    in_progress = "in_progress"
    resolved = "resolved"
    returned = "returned"
    withdrawn = "withdrawn"


ACTIVE_ASSIGNMENT = (
    AssignmentStatus.dispatched,
    AssignmentStatus.accepted,
    AssignmentStatus.in_progress,
)


def _utc(**kwargs: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime, **kwargs))


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"
    __table_args__ = (
        Index("ix_work_order_status_created", "status", "created_at"),
        Index("ix_work_order_dup", "category_code", "compound_code", "created_at"),
        # 我的上报: a field worker's own patrol reports, newest first.
        Index("ix_work_order_reporter", "created_by_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=32)
    channel: Channel = Field(sa_type=EnumText(Channel, 16))
    status: OrderStatus = Field(sa_type=EnumText(OrderStatus, 16), index=True)
    priority: Priority = Field(sa_type=EnumText(Priority, 2))
    category_code: str = Field(foreign_key="category.code", max_length=64)
    description: str = Field(max_length=4000)

    caller_name: str | None = Field(default=None, max_length=100)
    caller_phone: str | None = Field(default=None, max_length=20, index=True)
    caller_flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    confidential: bool = False

    community_code: str | None = Field(default=None, foreign_key="community.code", max_length=64)
    compound_code: str | None = Field(default=None, foreign_key="compound.code", max_length=64)
    building: str | None = Field(default=None, max_length=64)
    address_text: str | None = Field(default=None, max_length=500)

    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    upstream_ref: str | None = Field(default=None, max_length=64, index=True)
    parent_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)

    rule_id: str | None = Field(default=None, max_length=100)
    rule_name: str | None = Field(default=None, max_length=200)
    rule_matched: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rules_version: str | None = Field(default=None, max_length=64)
    sla_policy: str | None = Field(default=None, max_length=64)
    police_matter: bool = False
    escalation_level: int = 0

    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False)
    dispatched_at: datetime | None = _utc(nullable=True)
    accepted_at: datetime | None = _utc(nullable=True)
    resolved_at: datetime | None = _utc(nullable=True)
    closed_at: datetime | None = _utc(nullable=True)
    accept_due_at: datetime | None = _utc(nullable=True)
    resolve_due_at: datetime | None = _utc(nullable=True)
    result: str | None = Field(default=None, max_length=4000)
    satisfaction: str | None = Field(default=None, max_length=16)


class OrderAssignment(SQLModel, table=True):
    """One team's part in an order; joint dispatch (联合派单) gives an order several."""

    __tablename__ = "order_assignment"
    __table_args__ = (Index("ix_assignment_team_status", "team_code", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    team_code: str = Field(foreign_key="team.code", max_length=64)
    role: AssignmentRole = Field(sa_type=EnumText(AssignmentRole, 8))
    status: AssignmentStatus = Field(sa_type=EnumText(AssignmentStatus, 16))
    assigned_at: datetime = _utc(nullable=False)
    accepted_at: datetime | None = _utc(nullable=True)
    resolved_at: datetime | None = _utc(nullable=True)
    note: str | None = Field(default=None, max_length=4000)
    # 组内派工: the member of the team its leader handed this part to (承办人), if any.
    handler_id: int | None = Field(default=None, foreign_key="app_user.id")


class OrderCounter(SQLModel, table=True):
    """The last number handed out per local day, so numbers read WO-20261122-0007."""

    __tablename__ = "order_counter"

    day: date = Field(primary_key=True)
    last: int = 0


class IdempotencyRecord(SQLModel, table=True):
    """A create that already happened: the same key returns the same order, never two."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    key: str = Field(max_length=200)
    fingerprint: str = Field(max_length=64)
    order_id: int | None = Field(default=None, foreign_key="work_order.id")
    created_at: datetime = _utc(nullable=False)


def tagged(tag: str) -> ColumnElement[bool]:
    """Orders carrying `tag`, asked of the database: the tags are a JSON list, whose text
    holds each tag in quotes on SQLite and PostgreSQL alike."""
    return cast(WorkOrder.tags, String).contains(f'"{tag}"', autoescape=True)
