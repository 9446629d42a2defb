"""Two API instances and one scheduler on one PostgreSQL, as `make cluster` runs them.

An operator on instance 1 takes calls; a team leader's phone is connected to instance 2.
Instance 2 is killed with SIGKILL while another operator is typing orders into it: every
order it answered 201 exists, the phone reconnects to instance 1 with its last event id and
gets exactly what it missed, and the escalations that came due meanwhile ran once each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select
from websockets.exceptions import ConnectionClosed

from bench.cluster import Cluster, running_cluster
from dispatch.database import Database
from dispatch.events.models import OrderEvent
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from escalation.timers.models import EscalationStep, StepStatus
from tests.builders.desk import Person
from tests.conftest import BACKENDS
from tests.faults.conftest import free_port, listen_at
from tests.live.conftest import Listener
from tests.live.test_push import dispatched_for
from tests.live.test_resume import team_event_ids

pytestmark = [
    pytest.mark.skipif("postgres" not in BACKENDS, reason="PostgreSQL not in backends"),
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]


@contextmanager
def desk_cluster(settings: Settings, log: Path) -> Iterator[Cluster]:
    with (
        log.open("ab") as out,
        running_cluster(
            settings.database_url,
            [free_port(), free_port()],
            out,
            HOTLINE_ENVIRONMENT="test",
            HOTLINE_SECRET_KEY=settings.secret_key,
            HOTLINE_CONFIG_DIR=str(settings.config_dir),
            HOTLINE_ESCALATION_SWEEP_SECONDS="0.2",
        ) as cluster,
    ):
        yield cluster


@contextmanager
def logins() -> Iterator[Callable[[str, str], Person]]:
    """person(base_url, username): logged in on that instance; connections closed after."""
    clients: list[httpx.Client] = []

    def person(base_url: str, username: str) -> Person:
        clients.append(httpx.Client(base_url=base_url, timeout=10))
        return Person(clients[-1], username)  # type: ignore[arg-type]  # an httpx.Client too

    try:
        yield person
    finally:
        for client in clients:
            client.close()


def bearer(someone: Person) -> str:
    return str(someone.headers["Authorization"].removeprefix("Bearer "))


class Typist(threading.Thread):
    """An operator typing orders into one instance until it stops answering."""

    def __init__(self, desk: Person) -> None:
        super().__init__(daemon=True)
        self.desk = desk
        self.created: list[str] = []

    def run(self) -> None:
        for i in range(10_000):
            try:
                response = self.desk.post(
                    "/api/v1/orders",
                    json={**FIRE_LANE_ORDER, "description": f"消防通道又被堵住了（第{i}次）"},
                    headers={"Idempotency-Key": f"typist-{i}"},
                )
            except httpx.HTTPError:
                return  # the instance is gone; what was answered 201 is in self.created
            assert response.status_code == 201, response.text
            self.created.append(response.json()["number"])


FIRE_LANE_ORDER = {
    "channel": "phone",
    "caller": {"name": "陈女士", "phone": "13812345678"},
    "address": {"compound": "jindi-garden", "building": "D区8号楼"},
    "category": "fire_lane",
}


async def drain_until_closed(phone: Listener) -> list[dict[str, Any]]:
    """What reached the phone before its instance died."""
    got: list[dict[str, Any]] = []
    while True:
        try:
            message = await phone.next(timeout=10)
        except ConnectionClosed:
            return got
        got.append(message)


def order_ids(db: Database, numbers: list[str]) -> list[int]:
    with db.session() as session:
        rows = session.exec(select(WorkOrder.id).where(col(WorkOrder.number).in_(numbers))).all()
    return [i for i in rows if i is not None]


def bring_accept_chains_due(db: Database, ids: list[int]) -> list[int]:
    """Every pending accept step of these orders due now: the real clock will not wait 5 min."""
    with db.session(write=True) as session:
        steps = session.exec(
            select(EscalationStep.id).where(
                col(EscalationStep.order_id).in_(ids),
                EscalationStep.status == StepStatus.pending,
                EscalationStep.chain == "accept",
            )
        ).all()
        session.execute(
            update(EscalationStep)
            .where(col(EscalationStep.id).in_(steps))
            .values(due_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    return [s for s in steps if s is not None]


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def steps_by_status(db: Database, ids: list[int]) -> dict[int, str]:
    with db.session() as session:
        rows = session.exec(select(EscalationStep).where(col(EscalationStep.id).in_(ids))).all()
    return {row.id: row.status.value for row in rows if row.id is not None}


def escalations_per_step(db: Database, ids: list[int]) -> dict[int, int]:
    with db.session() as session:
        rows = session.exec(select(OrderEvent.data).where(OrderEvent.kind == "escalated")).all()
    counts = dict.fromkeys(ids, 0)
    for data in rows:
        if int(data["step_id"]) in counts:
            counts[int(data["step_id"])] += 1
    return counts


async def test_killing_an_instance_loses_no_order_no_push_and_escalates_once(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    with desk_cluster(settings, tmp_path / "cluster.log") as cluster, logins() as person:
        one, two = cluster.members[0], cluster.members[1]
        operator = person(one.url, "operator.li")
        phone = await listen_at(two.url, bearer(person(two.url, "leader.jindi")))

        # Taken on instance 1, pushed by instance 2 (woken by PostgreSQL NOTIFY).
        first = operator.create_order()["number"]
        before_kill = await phone.events_until(dispatched_for(first), timeout=5)

        # Another operator types into instance 2; it dies mid-stream.
        typist = Typist(person(two.url, "operator.wang"))
        typist.start()
        wait_for(lambda: len(typist.created) >= 3)
        two.kill()
        typist.join(timeout=10)
        before_kill += await drain_until_closed(phone)
        last_seen = max(m["id"] for m in before_kill if m["type"] == "event")

        # While the phone is away: a new order on instance 1, and the accept chains come due.
        away = operator.create_order()["number"]
        everything = [first, away, *typist.created]
        forced = bring_accept_chains_due(db, order_ids(db, everything))
        wait_for(lambda: "pending" not in steps_by_status(db, forced).values())

        # The phone resumes on instance 1 from its last id: all it missed, once, in order.
        back = await listen_at(one.url, bearer(person(one.url, "leader.jindi")), last_seen)
        expected = team_event_ids(db, last_seen)
        received = list(back.replayed)
        if not received or received[-1]["id"] != expected[-1]:
            received += await back.events_until(lambda m: m["id"] == expected[-1], timeout=5)
        time.sleep(1.0)  # five more sweeps: nothing fires a second time
        per_step = escalations_per_step(db, forced)
        statuses = steps_by_status(db, forced)
        await back.ws.close()

    assert len(order_ids(db, typist.created)) == len(typist.created) >= 3
    assert [m["id"] for m in received] == expected
    dispatched = {m["order_number"] for m in before_kill + received if m["kind"] == "dispatched"}
    assert set(everything) <= dispatched
    assert any(m["kind"] == "escalated" for m in received)
    assert len(forced) >= 3 * len(everything)  # renotify, call, supervisor: per order
    for step, count in per_step.items():
        assert count == (1 if statuses[step] == "done" else 0), (step, statuses[step], count)
    print(
        f"instance 2 answered {len(typist.created)} orders before SIGKILL, all stored; "
        f"the phone resumed on instance 1 with {len(received)} missed events; "
        f"{sum(per_step.values())}/{len(forced)} forced steps escalated once"
    )
