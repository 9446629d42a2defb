"""What the API takes and gives for work orders."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from dispatch.orders.models import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    OrderStatus,
    Priority,
)

Text = Field(min_length=1, max_length=4000)


class Caller(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=40, examples=["13812345678"])
    anonymous: bool = False

    @model_validator(mode="after")
    def _anonymous_callers_leave_no_details(self) -> Caller:
        if self.anonymous and (self.name or self.phone):
            raise ValueError("an anonymous caller has no name or phone")
        return self


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    community: str | None = Field(default=None, max_length=64, examples=["jindi"])
    compound: str | None = Field(default=None, max_length=64, examples=["jindi-garden"])
    building: str | None = Field(default=None, max_length=64, examples=["D区8号楼"])
    text: str | None = Field(default=None, max_length=500)


class OrderCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "phone",
                    "caller": {"name": "陈女士", "phone": "13812345678"},
                    "address": {"compound": "jindi-garden", "building": "D区8号楼"},
                    "category": "fire_lane",
                    "description": "金地花园D区8号楼前电动车堵住了消防通道",
                }
            ]
        },
    )

    channel: Channel = Channel.phone
    caller: Caller = Field(default_factory=Caller)
    address: Address = Field(default_factory=Address)
    category: str = Field(min_length=1, max_length=64)
    description: str = Text
    priority: Priority | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)
    upstream_ref: str | None = Field(default=None, max_length=64)
    confidential: bool = False
    answered_at_desk: str | None = Field(
        default=None,
        min_length=1,
        max_length=4000,
        description="直接答复: what the operator told the caller, who needed an answer, not a "
        "team (a question, a consultation). The order is resolved with it and closed at once, "
        "without routing.",
        examples=["已告知居民医保报销需携带的材料和办理窗口"],
    )


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(
        min_length=1, max_length=4000, examples=["已告知居民停水将于今晚八点前恢复"]
    )


class RoutingPreview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel = Channel.phone
    caller: Caller = Field(default_factory=Caller)
    address: Address = Field(default_factory=Address)
    category: str = Field(min_length=1, max_length=64)
    description: str = Text
    priority: Priority | None = None


class RoutingPublic(BaseModel):
    rule_id: str | None
    rule_name: str | None
    matched: list[str]
    rules_version: str | None
    lead_team: str | None = None
    assist_teams: list[str] = []
    priority: Priority | None = None
    sla_policy: str | None = None
    tags: list[str] = []
    police_matter: bool = False
    to_triage: bool = False


class HandlerPublic(BaseModel):
    """The member handling a team's part (承办人): a name, never a phone number."""

    username: str
    name: str


class AssignmentPublic(BaseModel):
    team_code: str
    team_name: str
    role: AssignmentRole
    status: AssignmentStatus
    assigned_at: datetime
    accepted_at: datetime | None
    resolved_at: datetime | None
    note: str | None
    handler: HandlerPublic | None = None


class CallerPublic(BaseModel):
    name: str | None
    phone: str | None
    anonymous: bool
    hidden: bool = False
    flags: list[str] = []
    reporter: bool = Field(
        default=False, description="the caller is who reported it on patrol (巡查上报)"
    )


class OrderPublic(BaseModel):
    id: int
    number: str
    channel: Channel
    status: OrderStatus
    priority: Priority
    category: str
    description: str
    caller: CallerPublic
    address: Address
    tags: list[str]
    upstream_ref: str | None
    parent_number: str | None
    routing: RoutingPublic
    police_matter: bool
    escalation_level: int
    assignments: list[AssignmentPublic]
    created_at: datetime
    updated_at: datetime
    dispatched_at: datetime | None
    accepted_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    accept_due_at: datetime | None
    resolve_due_at: datetime | None
    result: str | None
    satisfaction: str | None
    allowed_actions: list[str]


class MergeSuggestion(BaseModel):
    number: str
    status: OrderStatus
    description: str
    created_at: datetime
    same_building: bool


class OrderCorrection(BaseModel):
    """The facts to correct; a field left out stays as it is."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"category": "noise", "address": {"compound": "anyi-home"}}]
        },
    )

    category: str | None = Field(default=None, min_length=1, max_length=64)
    priority: Priority | None = None
    description: str | None = Field(default=None, min_length=1, max_length=4000)
    address: Address | None = None


class OrderCreated(OrderPublic):
    merge_suggestions: list[MergeSuggestion] = []


class OrdersPublic(BaseModel):
    data: list[OrderPublic]
    count: int
    offset: int
    limit: int


class EventPublic(BaseModel):
    id: int
    kind: str
    actor: str
    at: datetime
    data: dict[str, object]
    team_codes: list[str]


class TimelinePublic(BaseModel):
    number: str
    data: list[EventPublic]


ReturnReason = Literal[
    "not_our_area", "not_our_duty", "duplicate", "insufficient_info", "cannot_contact", "other"
]


class ReturnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason_code: ReturnReason = Field(examples=["not_our_area"])
    reason: str = Field(default="", max_length=1000, examples=["该楼栋不在本物业管理范围"])


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000, examples=["已到现场，正在联系车主挪车"])


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    result: str = Field(min_length=1, max_length=4000, examples=["电动车已全部挪走，消防通道畅通"])


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=1000, examples=["居民来电撤回诉求"])


class DispatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lead_team: str = Field(min_length=1, max_length=64, examples=["jindi-property"])
    assist_teams: list[str] = Field(
        default_factory=list, max_length=10, examples=[["water-company"]]
    )
    note: str = Field(default="", max_length=1000)


class HandOverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member: str = Field(
        min_length=1,
        max_length=64,
        description="username of an active member (or leader) of the leader's own team",
        examples=["member.jindi"],
    )
    note: str = Field(default="", max_length=1000, examples=["先去D区8号楼把电动车挪走"])


class AddTeamRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    team: str = Field(min_length=1, max_length=64, examples=["governance-centre"])
    note: str = Field(default="", max_length=1000)


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parent: str = Field(
        min_length=1,
        max_length=32,
        description="number of the order to keep",
        examples=["WO-20261122-0001"],
    )


class ExtendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolve_due_at: AwareDatetime = Field(examples=["2026-12-01T18:00:00+08:00"])
    reason: str = Field(min_length=1, max_length=1000, examples=["需协调住建部门，申请延期"])


class CallbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    satisfaction: Literal["satisfied", "partly", "unsatisfied"] = Field(examples=["satisfied"])
    note: str = Field(default="", max_length=1000)
