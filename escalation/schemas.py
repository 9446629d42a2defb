"""What the escalation API reads and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field


class StepPublic(BaseModel):
    id: int
    order_id: int
    order_number: str | None = None
    chain: str
    round: int
    step_no: int
    kind: str
    due_at: datetime
    status: str
    late: bool
    ran_at: datetime | None
    claimed_by: str | None
    note: str | None
    params: dict[str, Any]


class OrderEscalationPublic(BaseModel):
    order_number: str
    status: str
    escalation_level: int
    policy: str | None
    accept_due_at: datetime | None
    on_site_due_at: datetime | None
    resolve_due_at: datetime | None
    steps: list[StepPublic]


class StepsPublic(BaseModel):
    data: list[StepPublic]
    count: int


class ExtensionAsk(BaseModel):
    reason: str = Field(min_length=2, max_length=1000)
    new_due_at: AwareDatetime


class ExtensionDecision(BaseModel):
    note: str = Field(default="", max_length=1000)


class ExtensionRefusal(BaseModel):
    reason: str = Field(min_length=2, max_length=1000)


class ExtensionPublic(BaseModel):
    id: int
    order_id: int
    order_number: str | None = None
    team_code: str | None
    reason: str
    requested_due_at: datetime
    status: str
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime


class ExtensionsPublic(BaseModel):
    data: list[ExtensionPublic]
    count: int
