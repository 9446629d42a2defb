"""Intake keeps categories, places and teams in memory: new ones work at once, changes follow."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import update

from dispatch.categories.models import Category
from dispatch.database import Database
from dispatch.reference import reference_row
from dispatch.teams.api import forget_cached_teams
from dispatch.teams.models import Team
from dispatch.teams.service import CoverageCache


def test_a_category_loaded_while_the_desk_runs_is_accepted_at_once(db: Database) -> None:
    with db.session() as session:
        assert reference_row(session, Category, "stray_dogs") is None
    with db.session(write=True) as session:
        session.add(Category(code="stray_dogs", name="流浪犬", default_priority="P2"))
    with db.session() as session:
        found = reference_row(session, Category, "stray_dogs")
    assert found is not None and found.default_priority == "P2"


def test_a_team_switched_off_by_another_instance_is_refused_once_the_copy_expires(
    db: Database,
) -> None:
    with db.session() as session:
        kept = reference_row(session, Team, "jindi-property")
    assert kept is not None and kept.active
    with db.session(write=True) as session:
        session.execute(update(Team).where(Team.code == "jindi-property").values(active=False))  # type: ignore[arg-type]

    with db.session() as session:
        still = reference_row(session, Team, "jindi-property")
    assert still is not None and still.active  # within the 30 s: the copy answers

    db.reference.ttl = 0.0
    with db.session() as session:
        fresh = reference_row(session, Team, "jindi-property")
    assert fresh is not None and not fresh.active


def test_copies_handed_out_are_not_the_session_rows(db: Database) -> None:
    with db.session() as session:
        copy = reference_row(session, Team, "jindi-property")
        assert copy is not None
        assert copy not in session  # changing a copy can never be flushed by accident


def test_teams_read_while_an_admin_change_commits_are_read_again_after_it(
    client: TestClient, db: Database
) -> None:
    app = cast(FastAPI, client.app)
    coverage: CoverageCache = app.state.coverage
    new_phone = "0951-6012345"
    with db.session(write=True) as admin_unit:
        admin_unit.execute(
            update(Team).where(Team.code == "jindi-property").values(phone=new_phone)  # type: ignore[arg-type]
        )
        forget_cached_teams(cast(Request, SimpleNamespace(app=app)), admin_unit)
        with db.session() as intake:  # an order routed meanwhile reads the rows as they were
            coverage.get(intake)
            before = reference_row(intake, Team, "jindi-property")
        assert before is not None and before.phone != new_phone
    assert coverage.fresh() is None
    with db.session() as intake:
        after = reference_row(intake, Team, "jindi-property")
    assert after is not None and after.phone == new_phone
