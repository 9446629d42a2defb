"""Load the demo world of config/*.yaml: places, categories, teams, users, assisted residents,
the 知识库's standard answers.

Idempotent: rows that already exist are left as they are, so `make run` can run it every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, select

from dispatch.auth.models import Role, User
from dispatch.auth.passwords import hash_password
from dispatch.categories.models import Category
from dispatch.knowledge.models import KnowledgeEntry
from dispatch.phones import normalise_phone
from dispatch.places.models import Community, Compound
from dispatch.residents.models import AssistedResident, CareKind
from dispatch.teams.models import DutyShift, Team, TeamCoverage, TeamKind


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    team: str | None
    password: str


def demo_password(username: str) -> str:
    return f"{username}-demo"


def _read(config_dir: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((config_dir / name).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _ensure_user(
    session: Session,
    spec: dict[str, Any],
    role: Role,
    team: str | None,
    accounts: list[DemoAccount],
    password_hash: str | None,
) -> User:
    username = spec["username"]
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        user = User(
            username=username,
            display_name=spec["name"],
            role=role,
            team_code=team,
            phone=normalise_phone(str(spec["phone"])) if spec.get("phone") else None,
            password_hash=password_hash or hash_password(demo_password(username)),
        )
        session.add(user)
        session.flush()
    accounts.append(DemoAccount(username, role.value, team, demo_password(username)))
    return user


def load_demo_world(
    session: Session, config_dir: Path, *, password_hash: str | None = None
) -> list[DemoAccount]:
    """password_hash: one precomputed hash for every account (fast test fixtures)."""
    world = _read(config_dir, "world.yaml")
    for c in world.get("communities", []):
        if session.get(Community, c["code"]) is None:
            session.add(Community(code=c["code"], name=c["name"], name_en=c.get("name_en", "")))
        session.flush()
        for x in c.get("compounds", []):
            if session.get(Compound, x["code"]) is None:
                session.add(
                    Compound(
                        code=x["code"],
                        community_code=c["code"],
                        name=x["name"],
                        name_en=x.get("name_en", ""),
                    )
                )
    for cat in world.get("categories", []):
        if session.get(Category, cat["code"]) is None:
            session.add(
                Category(
                    code=cat["code"],
                    name=cat["name"],
                    name_en=cat.get("name_en", ""),
                    default_priority=cat.get("default_priority", "P3"),
                )
            )
    session.flush()

    accounts: list[DemoAccount] = []
    for t in _read(config_dir, "teams.yaml").get("teams", []):
        if session.get(Team, t["code"]) is None:
            session.add(
                Team(
                    code=t["code"],
                    name=t["name"],
                    name_en=t.get("name_en", ""),
                    kind=TeamKind(t["kind"]),
                    phone=t.get("phone"),
                )
            )
            session.flush()
            cover = t.get("coverage") or {}
            for community in cover.get("communities", []):
                session.add(TeamCoverage(team_code=t["code"], community_code=community))
            for compound in cover.get("compounds", []):
                session.add(TeamCoverage(team_code=t["code"], compound_code=compound))
            fresh = True
        else:
            fresh = False
        members = {
            m["username"]: _ensure_user(
                session, m, Role(m["role"]), t["code"], accounts, password_hash
            )
            for m in t.get("members", [])
        }
        if fresh:
            for shift in t.get("rota", []):
                member = members[shift["username"]]
                assert member.id is not None
                session.add(
                    DutyShift(
                        team_code=t["code"],
                        user_id=member.id,
                        starts=_clock(shift["from"]),
                        ends=_clock(shift["to"]),
                    )
                )
    for u in _read(config_dir, "demo_users.yaml").get("users", []):
        _ensure_user(session, u, Role(u["role"]), None, accounts, password_hash)

    for r in _read(config_dir, "assisted_residents.yaml").get("residents", []):
        phone = normalise_phone(str(r["phone"]))
        if session.get(AssistedResident, phone) is None:
            session.add(
                AssistedResident(
                    phone=phone,
                    name=r["name"],
                    kind=CareKind(r["kind"]),
                    community_code=r.get("community"),
                    care_team_code=r.get("care_team"),
                    care_note=r.get("care_note", ""),
                    address=r.get("address", ""),
                )
            )
    _load_knowledge(session, config_dir)
    session.flush()
    return accounts


def _load_knowledge(session: Session, config_dir: Path) -> None:
    """By title: an entry the office has since changed or retired is left as it is."""
    kept = set(session.exec(select(KnowledgeEntry.title)).all())
    now = datetime.now(UTC)
    for k in _read(config_dir, "knowledge.yaml").get("entries", []):
        if k["title"] not in kept:
            session.add(
                KnowledgeEntry(
                    title=k["title"],
                    answer=k["answer"].strip(),
                    category_code=k.get("category"),
                    keywords=[str(w) for w in k.get("keywords", [])],
                    updated_at=now,
                    updated_by="demo",
                )
            )
