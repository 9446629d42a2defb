"""巡查上报: a field worker (grid worker, volunteer on patrol, a team's own staff) reports what
they found; it becomes a work order on the `patrol` channel, routed like any call, and the
reporter follows it from their phone (我的上报), as does their team leader (本队上报). What
they dealt with there and then (即报即办) is recorded as their own team's, resolved and closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session, col, func, select

from dispatch.auth.models import Role, User
from dispatch.errors import Forbidden, InvalidInput
from dispatch.orders import lifecycle
from dispatch.orders import service as orders
from dispatch.orders.actors import Actor
from dispatch.orders.models import Channel, OrderStatus, WorkOrder
from dispatch.orders.schemas import Address, Caller, OrderCreate, Text
from dispatch.routing.engine import Coverage, RuleSet
from dispatch.settings import Settings
from dispatch.teams.service import in_service

# On the order: counted apart in the reports (自行处置), and the desk sees why no rule sent it.
HANDLED_ON_SITE = "handled_on_site"
ON_SITE_NOTE = "即报即办：上报人当场处置，无需派单和回访"


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
                    "category": "manhole_cover",
                    "address": {"community": "qingshui", "text": "泰和路小学门口"},
                    "description": "泰和路小学门口井盖破损，放学前需处理",
                }
            ]
        },
    )

    category: str = Field(min_length=1, max_length=64)
    address: PatrolAddress
    description: str = Text
    handled_on_site: str | None = Field(
        default=None,
        min_length=1,
        max_length=4000,
        description="即报即办: what the reporter already did about it on the spot. The order "
        "goes to the reporter's own team, resolved and closed at once, without routing.",
        examples=["已将堵塞楼道的杂物清走"],
    )


def as_order(reporter: User, report: PatrolReport) -> OrderCreate:
    """The reporter is the caller: the desk and the team can ring back whoever saw it."""
    return OrderCreate(
        channel=Channel.patrol,
        caller=Caller(name=reporter.display_name, phone=reporter.phone),
        address=Address(**report.address.model_dump()),
        category=report.category,
        description=report.description,
        tags=[HANDLED_ON_SITE] if report.handled_on_site else [],
    )


def report(
    session: Session,
    reporter: User,
    body: PatrolReport,
    *,
    key: str | None,
    now: datetime,
    rules: RuleSet,
    coverage: Coverage,
    settings: Settings,
) -> tuple[WorkOrder, bool]:
    """巡查上报 under an Idempotency-Key: (the order, whether an earlier try already made it).
    Routed like a call; what the reporter dealt with on the spot is recorded, not routed."""
    order, replayed = orders.create_once(
        session,
        as_order(reporter, body),
        user=reporter,
        key=key,
        now=now,
        rules=rules,
        coverage=coverage,
        settings=settings,
        route=body.handled_on_site is None,
    )
    if not replayed and body.handled_on_site is not None:
        handle_on_site(session, order, reporter, now, body.handled_on_site)
    return order, replayed


def handle_on_site(
    session: Session, order: WorkOrder, reporter: User, now: datetime, result: str
) -> None:
    """即报即办: the reporter's team takes it, and the reporter resolves and closes it in the
    same unit of work as the report: a resident would be asked nothing a callback could
    add, and nobody else is sent to what is done."""
    assert reporter.team_code is not None  # auth: every team role belongs to a team
    if not in_service(session, reporter.team_code):
        raise InvalidInput(
            f"team {reporter.team_code} is out of service: report it to be dispatched instead",
            field="handled_on_site",
        )
    actor = Actor.of(reporter)
    lifecycle.dispatch(
        session,
        order,
        lead=reporter.team_code,
        assists=[],
        actor=actor,
        now=now,
        data={HANDLED_ON_SITE: True},
    )
    lifecycle.accept(session, order, actor, now)
    lifecycle.resolve(session, order, actor, now, result)
    lifecycle.close(session, order, actor, now, ON_SITE_NOTE)


def reports_of(
    session: Session,
    viewer: User,
    statuses: Sequence[OrderStatus],
    offset: int,
    limit: int,
    *,
    team: bool = False,
) -> tuple[Sequence[WorkOrder], int]:
    """我的上报 (the viewer's own patrol reports) or, for a leader, 本队上报 (those of everyone
    now in the leader's team), newest first, wherever they went."""
    if team:
        if viewer.role != Role.team_leader or viewer.team_code is None:
            raise Forbidden("only a team leader sees the team's reports", field="of")
        reporters = select(User.id).where(User.team_code == viewer.team_code)
        query = select(WorkOrder).where(col(WorkOrder.created_by_id).in_(reporters))
    else:
        query = select(WorkOrder).where(WorkOrder.created_by_id == viewer.id)
    query = query.where(WorkOrder.channel == Channel.patrol)
    if statuses:
        query = query.where(col(WorkOrder.status).in_(statuses))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    newest = (col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    return session.exec(query.order_by(*newest).offset(offset).limit(limit)).all(), total
