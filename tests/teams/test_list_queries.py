"""Every desk page and the 值班表 ask for the team list, and a subdistrict keeps adding
grid teams: what the list costs the database must not grow with the number of teams."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from dispatch.auth.models import Role
from dispatch.auth.passwords import hash_password
from dispatch.auth.service import create_user
from dispatch.database import Database
from dispatch.teams import admin
from dispatch.teams.models import TeamKind
from tests.builders.desk import Person, operator

MORE_TEAMS = 30

# The scheduler and the live tail share the engine and read on their own timers; the
# request's threads inherit this from the test, theirs do not, so only its SQL is counted.
_COUNTING: ContextVar[bool] = ContextVar("counting", default=False)


@contextmanager
def statements_sent(db: Database) -> Iterator[list[str]]:
    """The SQL the requests made inside the block send, BEGIN and COMMIT included."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if _COUNTING.get():
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    counting = _COUNTING.set(True)
    try:
        yield sent
    finally:
        _COUNTING.reset(counting)
        event.remove(db.engine, "before_cursor_execute", record)


def _team_list(desk: Person, db: Database) -> tuple[list[str], list[dict[str, Any]]]:
    with statements_sent(db) as sent:
        answer = desk.get("/api/v1/teams")
    assert answer.status_code == 200, answer.text
    return sent, answer.json()


def _add_grid_teams(db: Database, count: int) -> None:
    """Teams covering a community, each with a leader of record and a member; every other one
    puts the member on the day shift. Written as the admin's changes would write them; one
    password hash serves everyone: it is the slow part and the list never reads it."""
    password_hash = hash_password("grid-password")
    with db.session(write=True) as session:
        for n in range(count):
            code = f"grid-extra-{n:02d}"
            team = admin.create_team(
                session, code=code, name=f"第{n}网格", kind=TeamKind.grid, phone=None, name_en=""
            )
            admin.set_coverage(session, team, ["qingshui"], [])
            for role in (Role.team_leader, Role.team_member):
                username = f"{role.value}.{code}"
                create_user(
                    session,
                    username=username,
                    password="",
                    password_hash=password_hash,
                    display_name=username,
                    role=role,
                    team_code=code,
                )
            if n % 2 == 0:
                admin.add_shift(session, team, f"team_member.{code}", time(8), time(20))


def test_the_team_list_costs_the_same_queries_for_the_demo_teams_or_thirty_more(
    client: TestClient, db: Database
) -> None:
    desk = operator(client)
    desk.get("/api/v1/teams")  # whatever a first request fills once is not the list's cost
    demo_sql, demo_teams = _team_list(desk, db)

    _add_grid_teams(db, MORE_TEAMS)
    sql, teams = _team_list(desk, db)

    assert len(teams) == len(demo_teams) + MORE_TEAMS
    assert len(sql) == len(demo_sql), "\n".join(sql)
    extra = {t["code"]: t for t in teams if t["code"].startswith("grid-extra-")}
    # 10:30 in Yinchuan: the day shift's member leads, else the team's leader of record.
    assert extra["grid-extra-28"]["on_duty"] == "team_member.grid-extra-28"
    assert extra["grid-extra-29"]["on_duty"] == "team_leader.grid-extra-29"
    assert [s["username"] for s in extra["grid-extra-28"]["rota"]] == ["team_member.grid-extra-28"]
    assert extra["grid-extra-29"]["communities"] == ["qingshui"]
