"""The places and categories an order can name."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import col, select

from dispatch.categories.models import Category
from dispatch.deps import CurrentUser, SessionDep
from dispatch.places.models import Community, Compound

router = APIRouter(prefix="/api/v1", tags=["reference data"])


class CompoundPublic(BaseModel):
    code: str
    name: str
    name_en: str


class CommunityPublic(BaseModel):
    code: str
    name: str
    name_en: str
    compounds: list[CompoundPublic]


@router.get("/communities", response_model=list[CommunityPublic])
def list_communities(session: SessionDep, user: CurrentUser) -> list[CommunityPublic]:
    compounds = session.exec(select(Compound).order_by(col(Compound.code))).all()
    return [
        CommunityPublic(
            code=c.code,
            name=c.name,
            name_en=c.name_en,
            compounds=[
                CompoundPublic(code=x.code, name=x.name, name_en=x.name_en)
                for x in compounds
                if x.community_code == c.code
            ],
        )
        for c in session.exec(select(Community).order_by(col(Community.code))).all()
    ]


@router.get("/categories", response_model=list[Category])
def list_categories(session: SessionDep, user: CurrentUser) -> list[Category]:
    return list(session.exec(select(Category).order_by(col(Category.code))).all())
