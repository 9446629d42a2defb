"""What the report routes answer, as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class TeamRatesPublic(BaseModel):
    team_code: str
    team_name: str
    team_name_en: str
    dispatched: int
    accepted: int
    resolved: int
    returned: int
    callbacks: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class TeamReport(BaseModel):
    first: date
    last: date
    timezone: str
    data: list[TeamRatesPublic]


class DueOrderPublic(BaseModel):
    number: str
    status: str
    priority: str
    category: str
    description: str
    teams: list[str]
    due_at: datetime
    due_kind: str
    late: bool


class HourCount(BaseModel):
    hour: datetime
    count: int


class EscalationPublic(BaseModel):
    id: int
    order_number: str
    kind: str
    actor: str
    at: datetime
    team_codes: list[str]
    data: dict[str, Any]


class BoardPublic(BaseModel):
    now: datetime
    counts: dict[str, int]
    late: list[DueOrderPublic]
    nearly_late: list[DueOrderPublic]
    intake_by_hour: list[HourCount]
    escalations: list[EscalationPublic]


class GroupRatesPublic(BaseModel):
    code: str | None  # None: the orders that named no community
    name: str
    name_en: str
    received: int
    dispatched: int
    accepted: int
    resolved: int
    callbacks: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class GroupReport(BaseModel):
    first: date
    last: date
    timezone: str
    data: list[GroupRatesPublic]


class NamedPublic(BaseModel):
    code: str
    name: str
    name_en: str


class CategoryCountPublic(BaseModel):
    category: NamedPublic
    count: int


class LateOrderPublic(BaseModel):
    number: str
    category: NamedPublic
    status: str
    team: NamedPublic | None
    due_kind: str
    due_at: datetime
    done_at: datetime | None


class SatisfactionPublic(BaseModel):
    satisfied: int
    partly: int
    unsatisfied: int
    callbacks: int
    rate: float | None


class DailySummaryPublic(BaseModel):
    day: date
    timezone: str
    start: datetime
    end: datetime
    as_of: datetime
    complete: bool
    received: int
    answered_at_desk: int = Field(description="of those received, answered in the call (直接答复)")
    by_channel: dict[str, int]
    by_category: list[CategoryCountPublic]
    progress: dict[str, int]
    late: list[LateOrderPublic]
    escalation_counts: dict[str, int]
    escalations: list[EscalationPublic]
    satisfaction: SatisfactionPublic


class HotspotPublic(BaseModel):
    """One category at one place reported again and again (高发点位)."""

    community: NamedPublic | None
    compound: NamedPublic | None = Field(description="null: the orders named only a community")
    category: NamedPublic
    calls: int = Field(description="calls received, merged duplicates included")
    open: int = Field(description="orders there still being worked on")
    first_at: datetime
    last_at: datetime
    buildings: list[str] = Field(description="buildings named, most calls first")
    orders: list[str] = Field(description="the newest order numbers there, duplicates left out")


class HotspotReport(BaseModel):
    first: date
    last: date
    timezone: str
    min_calls: int
    data: list[HotspotPublic]


class WorklogEntryPublic(BaseModel):
    """One call in a community's 民情日志: who came, what they needed, what was done."""

    number: str
    received_at: datetime
    channel: str
    confidential: bool = Field(description="true: the caller is named nowhere in the log")
    caller_name: str | None
    caller_phone: str | None = Field(description="masked (138****5678), as the log is printed")
    community: NamedPublic | None
    compound: NamedPublic | None
    building: str | None
    address_text: str | None
    category: NamedPublic
    description: str
    teams: list[NamedPublic] = Field(description="the teams that handled it, the lead first")
    status: str = Field(description="a merged duplicate's is that of the order it joined")
    merged_into: str | None
    result: str | None = Field(description="what was done: the lead team's result")
    satisfaction: str | None
    finished_at: datetime | None = Field(description="closed, or else resolved")


class WorklogReport(BaseModel):
    first: date
    last: date
    timezone: str
    community: NamedPublic | None = Field(description="null: every community")
    count: int
    offset: int
    limit: int
    data: list[WorklogEntryPublic]


class PatrolReporterPublic(BaseModel):
    username: str = Field(description="empty on the totals row")
    name: str
    team: NamedPublic | None
    reported: int
    on_site: int = Field(description="即报即办: dealt with by the reporter there and then")
    sent_on: int = Field(description="sent on to a team by the rules")
    resolved: int = Field(description="of those sent on: resolved or closed")
    open: int = Field(description="of those sent on: still being worked on")
    cancelled: int = Field(description="of those sent on: called off")
    on_site_rate: float | None = Field(description="自行处置率: on_site / reported")


class PatrolReportPublic(BaseModel):
    first: date
    last: date
    timezone: str
    total: PatrolReporterPublic
    data: list[PatrolReporterPublic]


class OperatorWorkloadPublic(BaseModel):
    """One person's desk work in the period (话务员工作量), counted from the event log."""

    username: str = Field(description="empty on the totals row")
    name: str
    role: str | None = Field(description="operator, supervisor or admin; null on the totals row")
    received: int = Field(description="受理: calls taken at the desk (phone, web, SMS)")
    answered_at_desk: int = Field(description="直接答复: of those received, answered in the call")
    dispatched: int = Field(description="派单 by hand, from triage")
    callbacks: int = Field(description="回访 recorded")
    reopened: int = Field(description="重办, an unsatisfied callback's included")
    cancelled: int = Field(description="撤销")
    notes: int = Field(description="备注 added")


class OperatorReportPublic(BaseModel):
    first: date
    last: date
    timezone: str
    total: OperatorWorkloadPublic
    data: list[OperatorWorkloadPublic] = Field(description="most 受理 first")
