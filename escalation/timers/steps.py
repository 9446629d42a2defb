"""What each step kind does, and whether a step still applies when it comes due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from dispatch.auth.models import User
from dispatch.notify.port import NotifyChannel
from dispatch.orders import lifecycle, parts
from dispatch.orders.models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    AssignmentRole,
    OrderStatus,
    WorkOrder,
)
from escalation.policies.config import ChainName, StepKind, team_sent_to
from escalation.timers.batch import ACTOR, StepBatch
from escalation.timers.handlers import NOT_DISPATCHED
from escalation.timers.models import EscalationStep, OrderSla

SUPERVISION_TAG = "12345_supervision"


class StepNotApplicable(Exception):
    """The step came due but has nothing to act on (no leader on duty, team already there).

    Raised before the step has written anything, so the rest of its batch goes on."""


def stale_reason(session: Session, step: EscalationStep, order: WorkOrder) -> str | None:
    if order.parent_id is not None:
        return "order merged into another"
    if step.chain == ChainName.accept:
        if order.status == OrderStatus.triage:
            return NOT_DISPATCHED
        if order.status != OrderStatus.dispatched:
            return f"order {order.status.value}: nothing to accept"
        return None
    if order.status not in OPEN_STATUSES:
        return f"order {order.status.value}"
    sla = session.get(OrderSla, order.id)
    if sla is not None and step.round != sla.resolve_round:
        return "superseded by a newer resolve deadline"
    return None


def lead_team(session: Session, order: WorkOrder) -> str | None:
    for part in reversed(parts.assignments(session, order)):
        if part.role == AssignmentRole.lead and part.status in ACTIVE_ASSIGNMENT:
            return part.team_code
    return None


def _local(when: datetime | None, tz: str) -> str:
    return "-" if when is None else when.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")


def _send(
    batch: StepBatch,
    step: EscalationStep,
    order: WorkOrder,
    user: User,
    channels: Sequence[NotifyChannel],
    message: str,
    ref: str,
) -> list[str]:
    sent = []
    for channel in channels:
        recipient = f"user:{user.username}" if channel == NotifyChannel.push else user.phone
        if not recipient:
            continue
        batch.queue_message(
            recipient=recipient,
            channel=channel,
            message=message,
            ref=ref,
            step_id=step.id,
            order_id=order.id,
            user_id=user.id,
        )
        sent.append(f"{channel.value}:{user.username}")
    return sent


def _leader(batch: StepBatch, team: str | None) -> User:
    user = batch.leader(team) if team else None
    if user is None:
        raise StepNotApplicable(f"no leader on duty for team {team}")
    return user


def _ask_to_accept(
    batch: StepBatch,
    step: EscalationStep,
    order: WorkOrder,
    team: str | None,
    channels: Sequence[NotifyChannel],
) -> dict[str, Any]:
    user = _leader(batch, team)
    assert team is not None
    code = batch.codes.code_for(order=order, user=user, team_code=team, step_id=step.id)
    due = _local(order.accept_due_at, batch.ctx.timezone)
    if NotifyChannel.voice in channels:
        text = f"您有工单 {order.number} 尚未签收，签收时限 {due}。签收请按1。"
    else:
        text = (
            f"【催办】工单 {order.number}：{order.description[:40]}。请于 {due} 前签收，"
            f"回复“签收 {code}”即可签收。"
        )
    sent = _send(batch, step, order, user, channels, text, f"step:{step.id};code:{code}")
    return {"to": sent, "team": team}


def _remind_to_resolve(batch: StepBatch, step: EscalationStep, order: WorkOrder) -> dict[str, Any]:
    user = _leader(batch, lead_team(batch.session, order))
    due = _local(order.resolve_due_at, batch.ctx.timezone)
    text = f"【催办】工单 {order.number} 请于 {due} 前办结并反馈结果。"
    channels = (NotifyChannel.push, NotifyChannel.sms)
    return {"to": _send(batch, step, order, user, channels, text, f"step:{step.id}")}


def _notify_supervisors(
    batch: StepBatch,
    step: EscalationStep,
    order: WorkOrder,
    channels: Sequence[NotifyChannel],
) -> dict[str, Any]:
    what = "签收" if step.chain == ChainName.accept else "办结"
    due = order.accept_due_at if step.chain == ChainName.accept else order.resolve_due_at
    text = (
        f"【督办】工单 {order.number} 已超过{what}时限（{_local(due, batch.ctx.timezone)}），"
        f"承办：{lead_team(batch.session, order) or '待派'}。"
    )
    sent: list[str] = []
    for user in batch.supervisors():
        sent += _send(batch, step, order, user, channels, text, f"step:{step.id}")
    if not sent:
        raise StepNotApplicable("no active supervisor to notify")
    return {"to": sent}


def _reassign(batch: StepBatch, step: EscalationStep, order: WorkOrder) -> dict[str, Any]:
    session = batch.session
    backup = str(team_sent_to(step.kind, step.params))
    current = lead_team(session, order)
    if current == backup:
        raise StepNotApplicable(f"order already with backup team {backup}")
    _leader(batch, backup)  # nobody to ask: leave the order where it is
    reason = "逾期未签收，改派备用队伍 (not accepted in time: backup team)"
    lifecycle.reassign(session, order, ACTOR, batch.now, backup, reason)
    channels = (NotifyChannel.push, NotifyChannel.sms)
    detail = _ask_to_accept(batch, step, order, backup, channels)
    return {"from_team": current, **detail}


def _whistle(batch: StepBatch, step: EscalationStep, order: WorkOrder) -> dict[str, Any]:
    session = batch.session
    team = str(team_sent_to(step.kind, step.params))
    user = _leader(batch, team)  # nobody to answer the whistle: summon no one
    if team not in parts.active_team_codes(session, order):
        note = "吹哨报到：工单逾期未签收，请综治中心协调 (escalated: not accepted in time)"
        lifecycle.add_team(session, order, ACTOR, batch.now, team, note)
    text = f"【吹哨报到】工单 {order.number} 逾期未签收，请协调相关部门报到处置。"
    channels = (NotifyChannel.push, NotifyChannel.sms)
    return {"team": team, "to": _send(batch, step, order, user, channels, text, "")}


def _supervise(batch: StepBatch, step: EscalationStep, order: WorkOrder) -> dict[str, Any]:
    detail = _notify_supervisors(batch, step, order, (NotifyChannel.push,))
    if SUPERVISION_TAG not in order.tags:
        order.tags = [*order.tags, SUPERVISION_TAG]
        batch.session.add(order)
    return {"tag": SUPERVISION_TAG, **detail}


def run_step(batch: StepBatch, step: EscalationStep, order: WorkOrder) -> dict[str, Any]:
    """Do what the step says; returns the details for the `escalated` event."""
    push_sms = (NotifyChannel.push, NotifyChannel.sms)
    if step.kind == StepKind.renotify_leader:
        if step.chain == ChainName.resolve:
            return _remind_to_resolve(batch, step, order)
        team = lead_team(batch.session, order)
        return _ask_to_accept(batch, step, order, team, push_sms)
    if step.kind == StepKind.call_leader:
        team = lead_team(batch.session, order)
        return _ask_to_accept(batch, step, order, team, (NotifyChannel.voice,))
    if step.kind == StepKind.notify_supervisor:
        return _notify_supervisors(batch, step, order, push_sms)
    if step.kind == StepKind.reassign_backup:
        return _reassign(batch, step, order)
    if step.kind == StepKind.escalate_governance_centre:
        return _whistle(batch, step, order)
    if step.kind == StepKind.mark_12345_supervision:
        return _supervise(batch, step, order)
    raise StepNotApplicable(f"unknown step kind {step.kind}")
