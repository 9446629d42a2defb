"""Intake of work orders and the questions asked of them (find, list, duplicates)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, or_, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dispatch.auth.models import Role, User
from dispatch.categories.models import Category
from dispatch.database import MAX_ROW_ID, UTCDateTime
from dispatch.errors import Conflict, Forbidden, InvalidInput, NotFound
from dispatch.events.models import EventKind
from dispatch.orders import event_log, lifecycle, parts
from dispatch.orders.actors import Actor
from dispatch.orders.models import (
    OPEN_STATUSES,
    Channel,
    IdempotencyRecord,
    OrderAssignment,
    OrderStatus,
    Priority,
    WorkOrder,
)
from dispatch.orders.numbering import next_order_number
from dispatch.orders.schemas import (
    Address,
    Caller,
    MergeSuggestion,
    OrderCreate,
    RoutingPreview,
)
from dispatch.phones import normalise_phone
from dispatch.places.service import require_community, require_compound
from dispatch.reference import reference_row
from dispatch.residents.service import assisted
from dispatch.routing.engine import Coverage, OrderFacts, RoutingDecision, RuleSet
from dispatch.settings import Settings
from dispatch.teams.service import in_service


@dataclass(frozen=True)
class PlaceRef:
    community: str | None
    compound: str | None


def resolve_place(session: Session, address: Address) -> PlaceRef:
    """Check the codes exist and agree; a compound implies its community."""
    community = address.community
    if address.compound:
        compound = require_compound(session, address.compound, field="address.compound")
        if community and community != compound.community_code:
            raise InvalidInput(
                f"compound {compound.code!r} is in community {compound.community_code!r}, "
                f"not {community!r}",
                field="address.community",
            )
        return PlaceRef(community=compound.community_code, compound=compound.code)
    if community:
        require_community(session, community, field="address.community")
    return PlaceRef(community=community, compound=address.compound)


def require_category(session: Session, code: str) -> Category:
    category = reference_row(session, Category, code)
    if category is None:
        raise InvalidInput(f"unknown category {code!r}", field="category")
    return category


def caller_details(session: Session, caller: Caller, region: str) -> tuple[str | None, list[str]]:
    """The caller's E.164 phone and flags (an assisted resident carries theirs)."""
    if caller.anonymous or not caller.phone:
        return None, ["anonymous"] if caller.anonymous else []
    phone = normalise_phone(caller.phone, region=region)
    flags: list[str] = []
    resident = assisted(session, phone)
    if resident is not None:
        flags += ["assisted", resident.kind.value]
    return phone, flags


def facts_for(
    data: OrderCreate | RoutingPreview,
    place: PlaceRef,
    flags: Sequence[str],
    now: datetime,
) -> OrderFacts:
    return OrderFacts(
        category=data.category,
        description=data.description,
        channel=Channel(data.channel).value,
        priority=data.priority.value if data.priority else None,
        community=place.community,
        compound=place.compound,
        building=data.address.building,
        caller_flags=frozenset(flags),
        received_at=now,
    )


def preview_routing(
    session: Session,
    data: RoutingPreview,
    *,
    now: datetime,
    rules: RuleSet,
    coverage: Coverage,
    region: str = "CN",
) -> RoutingDecision:
    """Where an order would go, without creating it (the console's live preview)."""
    require_category(session, data.category)
    place = resolve_place(session, data.address)
    _phone, flags = caller_details(session, data.caller, region)
    return rules.route(facts_for(data, place, flags, now), coverage)


def _most_urgent(*priorities: str | None) -> Priority | None:
    given = [Priority(p) for p in priorities if p]
    return min(given) if given else None


def fingerprint(data: OrderCreate) -> str:
    body = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _idempotency_record(session: Session, user: User, key: str) -> IdempotencyRecord | None:
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id, IdempotencyRecord.key == key
        )
    ).first()


def _replayed(session: Session, record: IdempotencyRecord | None, data: OrderCreate) -> WorkOrder:
    if record is not None and record.fingerprint != fingerprint(data):
        raise Conflict(
            "this Idempotency-Key was already used for a different order",
            field="Idempotency-Key",
        )
    order = session.get(WorkOrder, record.order_id) if record and record.order_id else None
    if order is None:
        raise Conflict(
            "a request with this Idempotency-Key is still in progress; retry",
            field="Idempotency-Key",
        )
    return order


# Plain SQL for the reason given at dispatch/orders/numbering.py: ON CONFLICT is never cached.
_CLAIM_KEY = text(
    'INSERT INTO idempotency_record (user_id, "key", fingerprint, created_at) '
    "VALUES (:user_id, :key, :fingerprint, :created_at) "
    'ON CONFLICT (user_id, "key") DO NOTHING RETURNING id'
).bindparams(bindparam("created_at", type_=UTCDateTime()))


def claim_idempotency_key(
    session: Session, user: User, key: str, data: OrderCreate, now: datetime
) -> tuple[int | None, WorkOrder | None]:
    """Claim the key before creating, so two concurrent retries make one order.

    Returns (claim id, None) for a new request, or (None, order) when it was already done.
    On PostgreSQL a concurrent insert of the same key waits for the first transaction to
    commit, then does nothing; we then read what the first one created.
    """
    assert user.id is not None
    claim = session.execute(
        _CLAIM_KEY,
        {"user_id": user.id, "key": key, "fingerprint": fingerprint(data), "created_at": now},
    ).scalar()
    if claim is not None:
        return claim, None
    return None, _replayed(session, _idempotency_record(session, user, key), data)


def settle_idempotency_key(session: Session, claim: int, order: WorkOrder) -> None:
    """The claimed key now answers with this order."""
    table = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    session.execute(update(table).where(table.c.id == claim).values(order_id=order.id))


def create_once(
    session: Session,
    data: OrderCreate,
    *,
    user: User,
    key: str | None,
    now: datetime,
    rules: RuleSet,
    coverage: Coverage,
    settings: Settings,
    route: bool = True,
) -> tuple[WorkOrder, bool]:
    """受理 under an Idempotency-Key: (the order, whether an earlier try already made it).
    One the desk answered in the call (直接答复) is not routed: it is resolved and closed."""
    claim = None
    if key:
        claim, done = claim_idempotency_key(session, user, key, data, now)
        if done is not None:
            return done, True
    answered = data.answered_at_desk
    order = create_order(
        session,
        data,
        actor=Actor.of(user),
        now=now,
        rules=rules,
        coverage=coverage,
        timezone=settings.timezone,
        region=settings.default_region,
        number_prefix=settings.order_number_prefix,
        route=route and answered is None,
    )
    if answered is not None:
        lifecycle.answer(session, order, Actor.of(user), now, answered)
    if claim is not None:
        settle_idempotency_key(session, claim, order)
    return order, False


def create_order(
    session: Session,
    data: OrderCreate,
    *,
    actor: Actor,
    now: datetime,
    rules: RuleSet,
    coverage: Coverage,
    timezone: str,
    region: str = "CN",
    number_prefix: str = "WO",
    route: bool = True,
) -> WorkOrder:
    """受理 then 派单: record the order, route it by the rules, dispatch or send to triage.
    `route=False` only records it (received): the caller dispatches it its own way."""
    category = require_category(session, data.category)
    place = resolve_place(session, data.address)
    phone, flags = caller_details(session, data.caller, region)
    decision = (
        rules.route(facts_for(data, place, flags, now), coverage)
        if route
        else RoutingDecision.unrouted()
    )

    local_day = now.astimezone(ZoneInfo(timezone)).date()
    order = WorkOrder(
        number=next_order_number(session, local_day, number_prefix),
        channel=data.channel,
        status=OrderStatus.received,
        # The rules may make an order more urgent than the operator or category said, never less.
        priority=_most_urgent(data.priority or category.default_priority, decision.priority)
        or Priority(category.default_priority),
        category_code=category.code,
        description=data.description,
        caller_name=None if data.caller.anonymous else data.caller.name,
        caller_phone=phone,
        caller_flags=flags,
        confidential=data.confidential,
        community_code=place.community,
        compound_code=place.compound,
        building=data.address.building,
        address_text=data.address.text,
        tags=list(dict.fromkeys([*data.tags, *decision.tags])),
        upstream_ref=data.upstream_ref,
        rule_id=decision.rule_id,
        rule_name=decision.rule_name,
        rule_matched=list(decision.matched),
        rules_version=rules.version,
        sla_policy=decision.sla_policy,
        police_matter=decision.police_matter,
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    parts.track_new_order(session, order)
    with event_log.events_in_one_insert(session):
        event_log.log_event(
            session, order, EventKind.received, actor, now, {"channel": order.channel.value}
        )
        if route:
            apply_routing(session, order, decision, rules.version, now)
    return order


def apply_routing(
    session: Session, order: WorkOrder, decision: RoutingDecision, version: str, now: datetime
) -> None:
    rule_actor = Actor.system("rules")
    routed = {
        "rule_id": decision.rule_id,
        "rule_name": decision.rule_name,
        "matched": list(decision.matched),
        "rules_version": version,
        "sla_policy": decision.sla_policy,
        "priority": order.priority.value,
        "police_matter": decision.police_matter,
    }
    event_log.log_event(session, order, EventKind.routed, rule_actor, now, routed)
    if decision.to_triage or decision.lead_team is None:
        lifecycle.to_triage(session, order, rule_actor, now, "no routing rule matched")
        return
    # A rules file may still name a team taken out of service: the call is taken all the same
    # and the desk dispatches it by hand, rather than the operator being refused mid-call.
    if not in_service(session, decision.lead_team):
        why = f"rule {decision.rule_id} names team {decision.lead_team}, which is out of service"
        lifecycle.to_triage(session, order, rule_actor, now, why)
        return
    assists = [a for a in decision.assist_teams if in_service(session, a)]
    data: dict[str, object] = {"rule_id": decision.rule_id}
    if len(assists) < len(decision.assist_teams):
        data["out_of_service"] = [a for a in decision.assist_teams if a not in assists]
    lifecycle.dispatch(
        session,
        order,
        lead=decision.lead_team,
        assists=assists,
        actor=rule_actor,
        now=now,
        data=data,
    )


def merge_suggestions(
    session: Session, order: WorkOrder, now: datetime, window_hours: int
) -> list[MergeSuggestion]:
    """Open orders of the same category at the same compound in the window: likely duplicates.

    Same building first. Only the columns shown are read: this runs on every intake.
    """
    if not order.compound_code or order.status not in OPEN_STATUSES:
        return []  # an order already answered at the desk is nobody's duplicate to join
    rows = session.execute(
        sa_select(
            col(WorkOrder.number),
            col(WorkOrder.status),
            col(WorkOrder.description),
            col(WorkOrder.created_at),
            col(WorkOrder.building),
        )
        .where(
            col(WorkOrder.category_code) == order.category_code,
            col(WorkOrder.compound_code) == order.compound_code,
            col(WorkOrder.created_at) >= now - timedelta(hours=window_hours),
            col(WorkOrder.status).in_(OPEN_STATUSES),
            col(WorkOrder.parent_id).is_(None),
            col(WorkOrder.id) != order.id,
        )
        .order_by(col(WorkOrder.created_at).desc())
        .limit(10)
    ).all()
    found = [
        MergeSuggestion(
            number=number,
            status=status,
            description=description,
            created_at=created_at,
            same_building=bool(order.building) and building == order.building,
        )
        for number, status, description, created_at, building in rows
    ]
    return sorted(found, key=lambda s: not s.same_building)


def reported_by(order: WorkOrder, user: User) -> bool:
    """巡查上报: the field worker who reported it follows it, whichever team it went to."""
    return order.channel == Channel.patrol and order.created_by_id == user.id


def reported_by_member(session: Session, order: WorkOrder, leader: User) -> bool:
    """本队上报: a team leader follows the reports of the people now in their team."""
    if order.channel != Channel.patrol or order.created_by_id is None:
        return False
    if leader.role != Role.team_leader or leader.team_code is None:
        return False
    reporter = session.get(User, order.created_by_id)
    return reporter is not None and reporter.team_code == leader.team_code


def can_see(session: Session, user: User, order: WorkOrder) -> bool:
    if not user.role.is_team_role or reported_by(order, user):
        return True
    ours = session.exec(
        select(OrderAssignment.id).where(
            OrderAssignment.order_id == order.id,
            OrderAssignment.team_code == user.team_code,
        )
    ).first()
    return ours is not None or reported_by_member(session, order, user)


def get_visible_order(session: Session, user: User, ref: str) -> WorkOrder:
    """By number (WO-...) or id; another team's order is as good as missing (404)."""
    order = None
    if ref.isascii() and ref.isdigit():
        # Only ids a database integer can hold: a longer number names no order (404, not 500).
        order = session.get(WorkOrder, int(ref)) if int(ref) <= MAX_ROW_ID else None
    else:
        order = session.exec(select(WorkOrder).where(WorkOrder.number == ref)).first()
    if order is None or not can_see(session, user, order):
        raise NotFound(f"no work order {ref}", field="order")
    return order


# newest / oldest received first; resolved_at: resolved longest ago first (待回访, callbacks).
OrderSort = Literal["newest", "oldest", "resolved_at"]
_SORTS = {
    "newest": (col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc()),
    "oldest": (col(WorkOrder.created_at), col(WorkOrder.id)),
    "resolved_at": (col(WorkOrder.resolved_at), col(WorkOrder.id)),
}


@dataclass(frozen=True)
class OrderFilter:
    status: Sequence[OrderStatus] = ()
    team: str | None = None
    category: str | None = None
    community: str | None = None
    channel: Sequence[Channel] = ()
    priority: Sequence[Priority] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None
    caller_phone: str | None = None  # as typed; matched in E.164
    sort: OrderSort = "newest"


def _caller_phone(user: User, typed: str) -> str:
    """来电历史 is the desk's: a team sees callers masked, and must not find them by number."""
    if user.role.is_team_role:
        raise Forbidden("only the desk looks up a caller's orders", field="caller_phone")
    return normalise_phone(typed, field="caller_phone")


def list_orders(
    session: Session, user: User, flt: OrderFilter, offset: int, limit: int
) -> tuple[Sequence[WorkOrder], int]:
    query = select(WorkOrder)
    if flt.caller_phone is not None:
        query = query.where(WorkOrder.caller_phone == _caller_phone(user, flt.caller_phone))
    team = user.team_code if user.role.is_team_role else flt.team
    if team:
        query = query.where(
            col(WorkOrder.id).in_(
                select(OrderAssignment.order_id).where(OrderAssignment.team_code == team)
            )
        )
    if flt.status:
        query = query.where(col(WorkOrder.status).in_(flt.status))
    if flt.category:
        query = query.where(WorkOrder.category_code == flt.category)
    if flt.community:
        query = query.where(WorkOrder.community_code == flt.community)
    if flt.channel:
        query = query.where(col(WorkOrder.channel).in_(flt.channel))
    if flt.priority:
        query = query.where(col(WorkOrder.priority).in_(flt.priority))
    if flt.created_from:
        query = query.where(col(WorkOrder.created_at) >= flt.created_from)
    if flt.created_to:
        query = query.where(col(WorkOrder.created_at) < flt.created_to)
    if flt.q:
        like = f"%{flt.q}%"
        query = query.where(
            or_(col(WorkOrder.description).like(like), col(WorkOrder.number).like(like))
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(*_SORTS[flt.sort]).offset(offset).limit(limit)).all()
    return rows, total
