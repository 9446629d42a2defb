"""交接班: the outgoing shift's snapshot names the orders whose result has not reached 12345
(or the police), so the next shift chases them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from tests.builders.desk import operator
from tests.hotline.test_12345_feedback import accepted_while_12345_is_down, deliver_everything


def test_the_next_shift_is_told_which_orders_12345_has_not_heard_about(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream, worker, number = accepted_while_12345_is_down(client, db, settings, clock)
    desk = operator(client)
    before = desk.get("/api/v1/handovers/snapshot").json()
    assert before["more"] == {"undelivered_to_platforms": {"count": 0, "orders": []}}

    worker.drain()  # the platform is down: the 签收 did not get through

    handed = desk.post("/api/v1/handovers", json={"note": "12345平台下午接口故障"})
    assert handed.status_code == 201, handed.text
    stuck = handed.json()["snapshot"]["more"]["undelivered_to_platforms"]
    assert stuck == {"count": 1, "orders": [number]}

    upstream.failures = 0
    deliver_everything(worker, clock)
    desk = operator(client)  # hours later: a new login
    after = desk.get("/api/v1/handovers/snapshot").json()
    assert after["more"]["undelivered_to_platforms"]["count"] == 0
    # What was handed over stays as it was then.
    kept = desk.get("/api/v1/handovers").json()["data"][0]["snapshot"]["more"]
    assert kept["undelivered_to_platforms"]["orders"] == [number]
