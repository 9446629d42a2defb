"""How an order looks to a given viewer: team roles see the caller masked, or not at all."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from dispatch.auth.models import User
from dispatch.orders.lifecycle import allowed_actions
from dispatch.orders.models import Channel, OrderAssignment, WorkOrder
from dispatch.orders.parts import assignments
from dispatch.orders.schemas import (
    Address,
    AssignmentPublic,
    CallerPublic,
    HandlerPublic,
    OrderPublic,
    RoutingPublic,
)
from dispatch.phones import mask_phone
from dispatch.reference import reference_row
from dispatch.teams.models import Team


def caller_for(order: WorkOrder, viewer: User) -> CallerPublic:
    anonymous = "anonymous" in order.caller_flags
    if viewer.role.is_team_role and order.confidential:
        return CallerPublic(name=None, phone=None, anonymous=anonymous, hidden=True)
    return CallerPublic(
        name=order.caller_name,
        phone=mask_phone(order.caller_phone) if viewer.role.is_team_role else order.caller_phone,
        anonymous=anonymous,
        flags=order.caller_flags,
        # Someone on patrol reported it (巡查上报); the scheduler's visits have no reporter.
        reporter=order.channel == Channel.patrol and order.created_by_id is not None,
    )


def _team_names(session: Session, parts: Sequence[OrderAssignment]) -> dict[str, str]:
    teams = (
        reference_row(session, Team, code) for code in dict.fromkeys(p.team_code for p in parts)
    )
    return {t.code: t.name for t in teams if t is not None}


def _handler(session: Session, part: OrderAssignment) -> HandlerPublic | None:
    if part.handler_id is None:
        return None
    user = session.get(User, part.handler_id)  # the unit's identity map: once per person
    return HandlerPublic(username=user.username, name=user.display_name) if user else None


def present(session: Session, order: WorkOrder, viewer: User) -> OrderPublic:
    assert order.id is not None
    parts = assignments(session, order)
    names = _team_names(session, parts)
    lead = next((p.team_code for p in parts if p.role.value == "lead"), None)
    parent_number = None
    if order.parent_id is not None:
        parent = session.get(WorkOrder, order.parent_id)
        parent_number = parent.number if parent else None
    return OrderPublic(
        id=order.id,
        number=order.number,
        channel=order.channel,
        status=order.status,
        priority=order.priority,
        category=order.category_code,
        description=order.description,
        caller=caller_for(order, viewer),
        address=Address(
            community=order.community_code,
            compound=order.compound_code,
            building=order.building,
            text=order.address_text,
        ),
        tags=order.tags,
        upstream_ref=order.upstream_ref,
        parent_number=parent_number,
        routing=RoutingPublic(
            rule_id=order.rule_id,
            rule_name=order.rule_name,
            matched=order.rule_matched,
            rules_version=order.rules_version,
            lead_team=lead,
            assist_teams=[p.team_code for p in parts if p.role.value == "assist"],
            sla_policy=order.sla_policy,
            police_matter=order.police_matter,
            to_triage=order.rule_id is None,
        ),
        police_matter=order.police_matter,
        escalation_level=order.escalation_level,
        assignments=[
            AssignmentPublic(
                team_code=p.team_code,
                team_name=names.get(p.team_code, p.team_code),
                role=p.role,
                status=p.status,
                assigned_at=p.assigned_at,
                accepted_at=p.accepted_at,
                resolved_at=p.resolved_at,
                note=p.note,
                handler=_handler(session, p),
            )
            for p in parts
        ],
        created_at=order.created_at,
        updated_at=order.updated_at,
        dispatched_at=order.dispatched_at,
        accepted_at=order.accepted_at,
        resolved_at=order.resolved_at,
        closed_at=order.closed_at,
        accept_due_at=order.accept_due_at,
        resolve_due_at=order.resolve_due_at,
        result=order.result,
        satisfaction=order.satisfaction,
        allowed_actions=allowed_actions(order),
    )
