"""Results flow back to 12345 through the outbox: in order, each exactly once, despite failures."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from hotline.outbox.models import OutboxMessage
from hotline.outbox.service import claim
from hotline.outbox.worker import OutboxWorker
from hotline.wiring import outbox_worker
from tests.builders.desk import leader, operator, supervisor
from tests.hotline.upstream_builders import (
    DRAIN_ORDER,
    Outside,
    Platform,
    police_platform,
    push,
    upstream_12345,
)


def deliver_everything(worker: OutboxWorker, clock: FrozenClock, rounds: int = 30) -> None:
    """Run the worker, letting time pass for the backoff, until nothing is left to try."""
    for _ in range(rounds):
        worker.drain()
        clock.advance(timedelta(minutes=10))
    worker.drain()


def _handle_12345_order(client: TestClient, clock: FrozenClock) -> str:
    number = str(push(client, DRAIN_ORDER, clock.now()).json()["order_number"])
    team = leader(client, "jindi")
    assert team.act(number, "accept").status_code == 200
    assert team.act(number, "resolve", {"result": "已劝离车辆，消防通道畅通"}).status_code == 200
    callback = operator(client).act(number, "callback", {"satisfaction": "satisfied"})
    assert callback.status_code == 200, callback.text
    return number


def test_results_reach_12345_in_order_exactly_once_after_the_platform_failed_three_times(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream = upstream_12345(failures=3)
    outside = Outside(upstream, police_platform())
    worker = outbox_worker(db, settings, clock, transport=outside.transport())
    number = _handle_12345_order(client, clock)

    worker.drain()
    assert upstream.accepted == []  # still failing: nothing behind the first got through
    assert {m["result_type"] for m in upstream.seen} == {"accepted"}

    deliver_everything(worker, clock)
    kinds = [m["result_type"] for m in upstream.accepted]
    assert kinds == ["accepted", "resolved", "callback"]
    ids = [m["message_id"] for m in upstream.accepted]
    assert len(set(ids)) == len(ids) == 3
    assert all(m["upstream_number"] == DRAIN_ORDER["upstream_number"] for m in upstream.accepted)
    assert all(m["order_number"] == number for m in upstream.accepted)
    assert upstream.accepted[1]["result"] == "已劝离车辆，消防通道畅通"
    assert upstream.accepted[2]["satisfaction"] == "satisfied"

    board = supervisor(client).get("/api/v1/outbox", params={"destination": "12345"}).json()
    assert board["totals"]["delivered"] >= 3
    first = next(m for m in board["data"] if m["kind"] == "accepted")
    assert (first["status"], first["attempts"]) == ("delivered", 4)


def test_a_return_tells_12345_the_reason(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream = upstream_12345()
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream, police_platform()).transport()
    )
    number = push(client, DRAIN_ORDER, clock.now()).json()["order_number"]
    returned = leader(client, "jindi").act(
        number, "return", {"reason_code": "not_our_area", "reason": "不在本物业管理范围"}
    )
    assert returned.status_code == 200, returned.text
    worker.drain()
    (message,) = upstream.accepted
    assert message["result_type"] == "returned"
    assert (message["reason_code"], message["reason"]) == ("not_our_area", "不在本物业管理范围")


def test_a_message_claimed_by_a_worker_that_crashed_is_delivered_after_its_lease(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream = upstream_12345()
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream, police_platform()).transport()
    )
    number = push(client, DRAIN_ORDER, clock.now()).json()["order_number"]
    leader(client, "jindi").act(number, "accept")
    with db.session(write=True) as session:  # a worker claims it, then dies before sending
        message = session.exec(
            select(OutboxMessage).where(OutboxMessage.destination == "12345")
        ).one()
        assert claim(session, message.id or 0, clock.now(), timedelta(minutes=2))
    assert worker.drain() == 0
    clock.advance(timedelta(minutes=3))
    assert worker.drain() == 1
    assert [m["result_type"] for m in upstream.accepted] == ["accepted"]


def accepted_while_12345_is_down(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> tuple[Platform, OutboxWorker, str]:
    """A 12345 order accepted while the platform refuses everything: the platform, the worker
    that delivers to it, and the order's number."""
    upstream = upstream_12345(failures=1000)
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream, police_platform()).transport()
    )
    number = str(push(client, DRAIN_ORDER, clock.now()).json()["order_number"])
    assert leader(client, "jindi").act(number, "accept").status_code == 200
    return upstream, worker, number


def test_after_the_last_attempt_a_message_is_failed_until_a_supervisor_retries_it(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream, worker, number = accepted_while_12345_is_down(client, db, settings, clock)
    deliver_everything(worker, clock, rounds=40)
    boss = supervisor(client)
    failed = boss.get("/api/v1/outbox", params={"status": "failed", "order": number}).json()
    (message,) = failed["data"]
    assert message["attempts"] == 10 and "HTTP 503" in message["last_error"]
    assert operator(client).get("/api/v1/outbox").status_code == 403

    upstream.failures = 0
    retried = boss.post(f"/api/v1/outbox/{message['id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    worker.drain()
    assert [m["result_type"] for m in upstream.accepted] == ["accepted"]
    again = boss.post(f"/api/v1/outbox/{message['id']}/retry")
    assert again.status_code == 409
