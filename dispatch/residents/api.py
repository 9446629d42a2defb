"""Look up an assisted resident (帮扶对象) by phone, as the operator picks up a call."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from dispatch.deps import Operator, SessionDep, SettingsDep
from dispatch.errors import Conflict, InvalidInput, NotFound
from dispatch.phones import normalise_phone
from dispatch.places.models import Community
from dispatch.residents.models import AssistedResident, CareKind
from dispatch.teams.models import Team

router = APIRouter(prefix="/api/v1/residents", tags=["assisted residents"])


@router.get("/{phone}", response_model=AssistedResident)
def find_resident(
    phone: str, session: SessionDep, user: Operator, settings: SettingsDep
) -> AssistedResident:
    e164 = normalise_phone(phone, region=settings.default_region, field="phone")
    resident = session.get(AssistedResident, e164)
    if resident is None:
        raise NotFound(f"{phone} is not an assisted resident", field="phone")
    return resident


class ResidentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(min_length=3, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    kind: CareKind
    community: str | None = Field(default=None, max_length=64)
    care_team: str | None = Field(default=None, max_length=64)
    care_note: str = Field(default="", max_length=500, examples=["耳背，请靠近说话"])


@router.post("", response_model=AssistedResident, status_code=201)
def register_resident(
    body: ResidentCreate, session: SessionDep, user: Operator, settings: SettingsDep
) -> AssistedResident:
    """Add someone the community looks after; their calls will carry the flag."""
    phone = normalise_phone(body.phone, region=settings.default_region, field="phone")
    if session.get(AssistedResident, phone) is not None:
        raise Conflict(f"{phone} is already registered", field="phone")
    if body.community and session.get(Community, body.community) is None:
        raise InvalidInput(f"unknown community {body.community!r}", field="community")
    if body.care_team and session.get(Team, body.care_team) is None:
        raise InvalidInput(f"unknown team {body.care_team!r}", field="care_team")
    resident = AssistedResident(
        phone=phone,
        name=body.name,
        kind=body.kind,
        community_code=body.community,
        care_team_code=body.care_team,
        care_note=body.care_note,
    )
    session.add(resident)
    session.flush()
    return resident
