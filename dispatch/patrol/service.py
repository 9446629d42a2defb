"""巡查上报: a field worker (grid worker, volunteer on patrol, a team's own staff) reports what
they found; it becomes a work order on the `patrol` channel, routed like any call, and the
reporter follows it from their phone (我的上报)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session, col, func, select

from dispatch.auth.models import User
from dispatch.orders.models import Channel, OrderStatus, WorkOrder
from dispatch.orders.schemas import Address, Caller, OrderCreate, Text


class PatrolAddress(Address):
    @model_validator(mode="after")
    def _somewhere_the_team_can_find(self) -> PatrolAddress:
        # Routing goes by place, and the reporter is standing there: no place, no report.
        if not (self.community or self.compound):
            raise ValueError("say which community or compound the report is about")
        return self


class PatrolReport(BaseModel):
    """What the reporter says; who they are comes from their login, not from the form."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category": "manhole",
                    "address": {"community": "qingshui", "text": "泰和路小学门口"},
                    "description": "泰和路小学门口井盖破损，放学前需处理",
                }
            ]
        },
    )

    category: str = Field(min_length=1, max_length=64)
    address: PatrolAddress
    description: str = Text


def as_order(reporter: User, report: PatrolReport) -> OrderCreate:
    """The reporter is the caller: the desk and the team can ring back whoever saw it."""
    return OrderCreate(
        channel=Channel.patrol,
        caller=Caller(name=reporter.display_name, phone=reporter.phone),
        address=Address(**report.address.model_dump()),
        category=report.category,
        description=report.description,
    )


def reports_of(
    session: Session,
    reporter: User,
    statuses: Sequence[OrderStatus],
    offset: int,
    limit: int,
) -> tuple[Sequence[WorkOrder], int]:
    """我的上报: the reporter's own patrol reports, newest first, wherever they went."""
    query = select(WorkOrder).where(
        WorkOrder.created_by_id == reporter.id, WorkOrder.channel == Channel.patrol
    )
    if statuses:
        query = query.where(col(WorkOrder.status).in_(statuses))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    newest = (col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    return session.exec(query.order_by(*newest).offset(offset).limit(limit)).all(), total
