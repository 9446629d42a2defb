"""The register of assisted residents (帮扶对象): look one up as a call comes in, list, add,
change, take off the register. The desk's roles keep it; every change is in the admin log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from dispatch.audit.api import Audit
from dispatch.audit.models import AdminActionKind
from dispatch.deps import Operator, SessionDep, SettingsDep
from dispatch.residents import service
from dispatch.residents.models import AssistedResident, CareKind
from dispatch.residents.service import ResidentDetails, ResidentFilter

router = APIRouter(prefix="/api/v1/residents", tags=["assisted residents"])


class ResidentPage(BaseModel):
    data: list[AssistedResident]
    count: int
    offset: int
    limit: int


@router.get("", response_model=ResidentPage)
def list_residents(
    session: SessionDep,
    user: Operator,
    community: Annotated[str | None, Query(max_length=64)] = None,
    kind: CareKind | None = None,
    care_team: Annotated[str | None, Query(max_length=64)] = None,
    active: Annotated[
        bool | None, Query(description="true (default): on the register; false: taken off")
    ] = True,
    q: Annotated[str | None, Query(max_length=50, description="part of a name or phone")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ResidentPage:
    flt = ResidentFilter(community, kind, care_team, active, q.strip() if q else None)
    rows, total = service.list_residents(session, flt, offset, limit)
    return ResidentPage(data=rows, count=total, offset=offset, limit=limit)


@router.get("/{phone}", response_model=AssistedResident)
def find_resident(
    phone: str, session: SessionDep, user: Operator, settings: SettingsDep
) -> AssistedResident:
    """Also one taken off the register (`active: false`): their calls carry no flag."""
    return service.require_resident(session, service.phone_of(phone, settings.default_region))


class ResidentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(min_length=3, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    kind: CareKind
    community: str | None = Field(default=None, max_length=64)
    care_team: str | None = Field(default=None, max_length=64)
    care_note: str = Field(default="", max_length=500, examples=["耳背，请靠近说话"])
    address: str = Field(default="", max_length=200, examples=["安怡家园E区1号楼2单元301"])


class ResidentUpdate(BaseModel):
    """Only the fields sent change; `community: ""` or `care_team: ""` clears them, and
    `active: false` takes the resident off the register (no flag, no visits)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: CareKind | None = None
    community: str | None = Field(default=None, max_length=64)
    care_team: str | None = Field(default=None, max_length=64, examples=["silver-care"])
    care_note: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=200)
    active: bool | None = Field(default=None, examples=[False])


@router.post("", response_model=AssistedResident, status_code=201)
def register_resident(
    body: ResidentCreate, session: SessionDep, user: Operator, settings: SettingsDep, audit: Audit
) -> AssistedResident:
    """Add someone the community looks after; their calls will carry the flag."""
    phone = service.phone_of(body.phone, settings.default_region)
    details = ResidentDetails(
        community=body.community,
        care_team=body.care_team,
        care_note=body.care_note,
        address=body.address,
    )
    resident = service.register(session, phone, body.name, body.kind, details)
    audit.record(
        AdminActionKind.resident_registered,
        phone,
        kind=resident.kind.value,
        community=resident.community_code,
        care_team=resident.care_team_code,
    )
    return resident


@router.patch("/{phone}", response_model=AssistedResident)
def change_resident(
    phone: str,
    body: ResidentUpdate,
    session: SessionDep,
    user: Operator,
    settings: SettingsDep,
    audit: Audit,
) -> AssistedResident:
    resident = service.require_resident(session, service.phone_of(phone, settings.default_region))
    changed = service.change(session, resident, ResidentDetails(**body.model_dump()))
    if changed:
        audit.record(AdminActionKind.resident_changed, resident.phone, **changed)
    return resident
