"""An operator dispatches to a team at the very moment an admin takes it out of service:
one of the two must lose. Either the admin is refused (the team now holds an open order),
or the dispatch is refused (the team is out of service); never an order stranded with a team
that no longer exists for the desk. Real transactions on each backend, in two threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.errors import InvalidInput
from dispatch.orders import lifecycle
from dispatch.orders.actors import Actor
from dispatch.orders.models import OrderStatus, WorkOrder
from dispatch.routing.engine import RuleSet
from dispatch.teams.admin import TeamStillNeeded, require_team, update_team
from tests.builders.desk import operator

# A team no demo rule names and no resident relies on: only the open order can keep it.
TEAM = "legal-aid"
NO_RULES = RuleSet([], source="rules.yaml", version="0", timezone="Asia/Shanghai")
HELD = 0.5  # how long the first transaction stays open once the second has started


def _stray_dog_in_triage(client: TestClient) -> str:
    order = operator(client).create_order(
        category="other", description="小区门口有一只流浪狗", address={}
    )
    assert order["status"] == "triage", order
    number: str = order["number"]
    return number


def _order(session: Session, number: str) -> WorkOrder:
    return session.exec(select(WorkOrder).where(WorkOrder.number == number)).one()


def _nothing() -> None:
    pass


Hold = Callable[[], None]


def _dispatch(db: Database, number: str, now: datetime, hold: Hold = _nothing) -> None:
    with db.session(write=True) as session:
        order = _order(session, number)
        lifecycle.dispatch(session, order, lead=TEAM, actor=Actor.system("operator"), now=now)
        session.flush()
        hold()


def _take_out_of_service(db: Database, hold: Hold = _nothing) -> None:
    with db.session(write=True) as session:
        update_team(session, require_team(session, TEAM), rules=NO_RULES, active=False)
        session.flush()
        hold()


def _first_holds_while_second_runs(
    first: Callable[[Hold], None], second: Callable[[], None]
) -> BaseException | None:
    """Run `first` until it calls back (its change made, not committed), start `second` in
    another thread, keep the first transaction open a moment, commit it; return what the
    second raised."""
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def run_second() -> None:
        started.set()
        try:
            second()
            outcome.append(None)
        except BaseException as exc:  # the test asserts on it
            outcome.append(exc)

    worker = threading.Thread(target=run_second)

    def hold() -> None:
        worker.start()
        started.wait(5)
        threading.Event().wait(HELD)

    first(hold)
    worker.join(30)
    assert not worker.is_alive(), "the second transaction never finished"
    return outcome[0]


def test_admin_taking_out_a_team_being_dispatched_to_is_refused(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    number = _stray_dog_in_triage(client)

    refused = _first_holds_while_second_runs(
        lambda hold: _dispatch(db, number, clock.now(), hold), lambda: _take_out_of_service(db)
    )

    assert isinstance(refused, TeamStillNeeded), refused
    assert number in str(refused)
    with db.session() as session:
        assert _order(session, number).status == OrderStatus.dispatched
        assert require_team(session, TEAM).active


def test_dispatch_to_a_team_being_taken_out_of_service_is_refused(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    number = _stray_dog_in_triage(client)

    refused = _first_holds_while_second_runs(
        lambda hold: _take_out_of_service(db, hold), lambda: _dispatch(db, number, clock.now())
    )

    assert isinstance(refused, InvalidInput), refused
    assert refused.field == "lead_team"
    assert "out of service" in str(refused)
    with db.session() as session:
        assert _order(session, number).status == OrderStatus.triage
        assert not require_team(session, TEAM).active
