"""The register of assisted residents: who is on it, adding and changing them. No HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from dispatch.changes import apply_changes
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.phones import normalise_phone
from dispatch.places.service import require_community
from dispatch.residents.models import AssistedResident, CareKind
from dispatch.teams.service import in_service

# Said in the admin log by name only: health and home details must not sit forever in a
# log nothing may delete. Kind, community, care team and being on the register are logged
# with their values.
PRIVATE_FIELDS = frozenset({"name", "care_note", "address"})


def assisted(session: Session, phone: str) -> AssistedResident | None:
    """The resident on the register under that E.164 phone; one taken off it is not."""
    resident = session.get(AssistedResident, phone)
    return resident if resident is not None and resident.active else None


def require_resident(session: Session, phone: str) -> AssistedResident:
    resident = session.get(AssistedResident, phone)
    if resident is None:
        raise NotFound(f"{phone} is not on the register of assisted residents", field="phone")
    return resident


@dataclass(frozen=True)
class ResidentDetails:
    """What the desk may set. In a change, None leaves a field as it is and "" clears the
    community or care team."""

    name: str | None = None
    kind: CareKind | None = None
    community: str | None = None
    care_team: str | None = None
    care_note: str | None = None
    address: str | None = None
    active: bool | None = None


def register(
    session: Session, phone: str, name: str, kind: CareKind, details: ResidentDetails
) -> AssistedResident:
    """Add someone the community looks after; their calls will carry the flag."""
    existing = session.get(AssistedResident, phone)
    if existing is not None:
        taken_off = "" if existing.active else " (taken off the register: put them back on)"
        raise Conflict(f"{phone} is already registered{taken_off}", field="phone")
    resident = AssistedResident(
        phone=phone,
        name=name,
        kind=kind,
        community_code=_community(session, details.community),
        care_team_code=_care_team(session, details.care_team),
        care_note=details.care_note or "",
        address=details.address or "",
    )
    session.add(resident)
    session.flush()
    return resident


def change(
    session: Session, resident: AssistedResident, changes: ResidentDetails
) -> dict[str, Any]:
    """Apply the fields given; returns what changed, fit for the admin log."""
    wanted: dict[str, Any] = {
        "name": changes.name,
        "kind": changes.kind,
        "care_note": changes.care_note,
        "address": changes.address,
        "active": changes.active,
    }
    if changes.community is not None:
        wanted["community_code"] = _community(session, changes.community)
    if changes.care_team is not None:
        wanted["care_team_code"] = _care_team(session, changes.care_team)
    elif changes.active and resident.care_team_code:
        # Put back on the register with the care team they had: it must still serve.
        _care_team(session, resident.care_team_code)
    clearable = ("community_code", "care_team_code")
    changed = apply_changes(resident, wanted, clearable=clearable, private=PRIVATE_FIELDS)
    if changed:
        session.add(resident)
    return changed


@dataclass(frozen=True)
class ResidentFilter:
    community: str | None = None
    kind: CareKind | None = None
    care_team: str | None = None
    active: bool | None = True
    search: str | None = None  # part of a name or of a phone number


def list_residents(
    session: Session, flt: ResidentFilter, offset: int, limit: int
) -> tuple[list[AssistedResident], int]:
    query = select(AssistedResident)
    if flt.community:
        query = query.where(AssistedResident.community_code == flt.community)
    if flt.kind is not None:
        query = query.where(AssistedResident.kind == flt.kind)
    if flt.care_team:
        query = query.where(AssistedResident.care_team_code == flt.care_team)
    if flt.active is not None:
        query = query.where(AssistedResident.active == flt.active)
    if flt.search:
        pattern = f"%{_escaped(flt.search)}%"
        query = query.where(
            or_(
                col(AssistedResident.name).like(pattern, escape="\\"),
                col(AssistedResident.phone).like(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(AssistedResident.name), col(AssistedResident.phone))
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def phone_of(raw: str, region: str) -> str:
    return normalise_phone(raw, region=region, field="phone")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _community(session: Session, code: str | None) -> str | None:
    if not code:
        return None
    return require_community(session, code).code


def _care_team(session: Session, code: str | None) -> str | None:
    if not code:
        return None
    # The weekly visits dispatch to the care team: one out of service could take none.
    if not in_service(session, code):
        raise InvalidInput(f"unknown team {code!r} or out of service", field="care_team")
    return code
