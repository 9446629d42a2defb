"""From a policy to deadlines and step rows: pure functions, no session, easy to test."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from escalation.policies.calendar import WorkingCalendar
from escalation.policies.config import ChainName, EscalationConfig
from escalation.policies.durations import whole_days
from escalation.timers.models import StepStatus


def snapshot_policy(config: EscalationConfig, name: str | None, priority: str) -> dict[str, Any]:
    """The policy and its chain as plain JSON, to be copied onto the order."""
    policy_name, policy = config.policy_for(name, priority)
    chain = config.chains[policy.chain]
    return {
        "policy": policy_name,
        "accept_within_s": int(policy.accept_within.total_seconds()),
        "on_site_within_s": (
            int(policy.on_site_within.total_seconds()) if policy.on_site_within else None
        ),
        "resolve_within_s": int(policy.resolve_within.total_seconds()),
        "working_days": policy.working_days,
        "chain": policy.chain,
        "steps": {
            link.value: [
                {
                    "step_no": i,
                    "at_s": int(step.at.total_seconds()),
                    "kind": step.kind.value,
                    "params": dict(step.params),
                }
                for i, step in enumerate(chain.steps(link), start=1)
            ]
            for link in ChainName
        },
    }


def accept_deadline(snapshot: dict[str, Any], start: datetime) -> datetime:
    return start + timedelta(seconds=int(snapshot["accept_within_s"]))


def on_site_deadline(snapshot: dict[str, Any], start: datetime) -> datetime | None:
    seconds = snapshot.get("on_site_within_s")
    return None if seconds is None else start + timedelta(seconds=int(seconds))


def resolve_deadline(
    snapshot: dict[str, Any], start: datetime, calendar: WorkingCalendar
) -> datetime:
    within = timedelta(seconds=int(snapshot["resolve_within_s"]))
    days = whole_days(within) if snapshot.get("working_days") else None
    return calendar.add_working_days(start, days) if days else start + within


def chain_steps(
    *,
    order_id: int,
    chain: ChainName,
    round_no: int,
    snapshot: dict[str, Any],
    deadline: datetime,
    not_before: datetime,
    now: datetime,
) -> list[dict[str, Any]]:
    """One pending step row (its column values) per step of the chain.

    A step before `not_before` is due at it. Plain values rather than EscalationStep objects:
    every dispatch writes a whole chain in one INSERT (`insert_steps`).
    """
    return [
        {
            "order_id": order_id,
            "chain": chain,
            "round": round_no,
            "step_no": int(spec["step_no"]),
            "kind": spec["kind"],
            "offset_seconds": int(spec["at_s"]),
            "due_at": max(deadline + timedelta(seconds=int(spec["at_s"])), not_before),
            "status": StepStatus.pending,
            "params": dict(spec.get("params") or {}),
            "created_at": now,
        }
        for spec in snapshot["steps"][chain.value]
    ]
