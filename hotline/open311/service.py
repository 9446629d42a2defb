"""Our categories as Open311 services, our work orders as Open311 service requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dispatch.categories.models import Category
from dispatch.orders.models import OPEN_STATUSES, AssignmentRole, WorkOrder
from dispatch.orders.parts import assignments
from dispatch.places.models import Compound
from dispatch.places.service import area_name, place_line
from dispatch.teams.models import Team

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
GROUPS = {
    "repairs": {
        "drain_blocked",
        "water_supply",
        "power_gas_heating",
        "roof_leak",
        "property_service",
        "property_certificate",
    },
    "safety": {"fire_lane", "manhole_cover", "personal_safety", "fraud_alert"},
    "community": {"dispute", "noise", "elder_care", "medical_insurance"},
}


def _group(code: str) -> str:
    return next((g for g, codes in GROUPS.items() if code in codes), "other")


def services(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(select(Category).order_by(col(Category.code))).all()
    return [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.name_en or c.name,
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join(k for k in (c.name, c.name_en) if k),
            "group": _group(c.code),
        }
        for c in rows
    ]


def find_service(session: Session, code: str) -> Category | None:
    return session.get(Category, code)


def definition(session: Session, category: Category) -> dict[str, Any]:
    compounds = session.exec(select(Compound).order_by(col(Compound.code))).all()
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "compound",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "The compound (小区) where the problem is",
                "order": 1,
                "description": "小区 / Compound",
                "values": [{"key": c.code, "name": c.name} for c in compounds],
            },
            {
                "variable": True,
                "code": "building",
                "datatype": "string",
                "required": False,
                "datatype_description": "Building and unit, e.g. D区8号楼",
                "order": 2,
                "description": "楼栋 / Building",
            },
        ],
    }


@dataclass(frozen=True)
class RequestQuery:
    ids: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()


def find_requests(session: Session, query: RequestQuery, now: datetime) -> Sequence[WorkOrder]:
    """The spec's filters; ids win over the others; by default the last 90 days."""
    stmt = select(WorkOrder).where(col(WorkOrder.confidential).is_(False))
    if query.ids:
        stmt = stmt.where(col(WorkOrder.number).in_(query.ids))
    else:
        if query.service_codes:
            stmt = stmt.where(col(WorkOrder.category_code).in_(query.service_codes))
        start, end = query.start, query.end
        if start is None and end is None:
            start = now - DEFAULT_WINDOW
        if start is not None:
            stmt = stmt.where(col(WorkOrder.created_at) >= start)
        if end is not None:
            stmt = stmt.where(col(WorkOrder.created_at) <= end)
        wanted = set(query.statuses)
        if wanted == {"open"}:
            stmt = stmt.where(col(WorkOrder.status).in_(OPEN_STATUSES))
        elif wanted == {"closed"}:
            stmt = stmt.where(col(WorkOrder.status).not_in(OPEN_STATUSES))
    stmt = stmt.order_by(col(WorkOrder.created_at).desc(), col(WorkOrder.id).desc())
    return session.exec(stmt.limit(MAX_RESULTS)).all()


def find_request(session: Session, number: str) -> WorkOrder | None:
    order = session.exec(select(WorkOrder).where(WorkOrder.number == number)).first()
    return None if order is None or order.confidential else order


def _when(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None


def as_request(session: Session, order: WorkOrder, timezone: str) -> dict[str, Any]:
    zone = ZoneInfo(timezone)
    category = session.get(Category, order.category_code)
    lead = next(
        (a for a in reversed(assignments(session, order)) if a.role == AssignmentRole.lead), None
    )
    team = session.get(Team, lead.team_code) if lead else None
    # The compound's name only, to match `address_id` (its code): never the community's.
    area = area_name(session, order.compound_code)
    address = place_line(area, building=order.building, said=order.address_text, glue=" ")
    return {
        "service_request_id": order.number,
        "status": "open" if order.status in OPEN_STATUSES else "closed",
        "status_notes": order.result or order.status.value,
        "service_name": category.name if category else order.category_code,
        "service_code": order.category_code,
        "description": order.description,
        "agency_responsible": team.name if team else "黄河东路街道民生服务热线",
        "service_notice": None,
        "requested_datetime": _when(order.created_at, zone),
        "updated_datetime": _when(order.updated_at, zone),
        "expected_datetime": _when(order.resolve_due_at, zone),
        "address": address or None,
        "address_id": order.compound_code,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
