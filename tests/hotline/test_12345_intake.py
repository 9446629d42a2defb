"""The 12345 platform pushes orders: signed, repeated, and revised out of order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from tests.builders.desk import operator
from tests.hotline.lookups import events, order, order_count
from tests.hotline.upstream_builders import DRAIN_ORDER, push


def test_a_12345_order_becomes_a_work_order_bound_by_the_platform_deadline(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    response = push(client, DRAIN_ORDER, clock.now())
    assert response.status_code == 201, response.text
    ack = response.json()
    assert ack["outcome"] == "created"
    made = operator(client).get(f"/api/v1/orders/{ack['order_number']}").json()
    assert made["channel"] == "12345"
    assert made["upstream_ref"] == "12345-20261122-000123"
    assert made["category"] == "fire_lane"  # the platform sent the Chinese name
    assert made["priority"] == "P2"
    assert made["routing"]["lead_team"] == "jindi-property"
    due = datetime.fromisoformat(made["resolve_due_at"])
    assert due <= datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_the_same_delivery_twice_gives_the_same_order(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    first = push(client, DRAIN_ORDER, clock.now())
    again = push(client, DRAIN_ORDER, clock.now())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["order_number"] == first.json()["order_number"]
    assert again.json()["outcome"] == "duplicate"
    assert order_count(db) == 1


def test_a_later_version_updates_and_an_older_one_arriving_late_is_ignored(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    push(client, DRAIN_ORDER, clock.now())
    v3 = {**DRAIN_ORDER, "version": 3, "content": "消防通道仍被堵，已有两辆车无法通行"}
    v2 = {**DRAIN_ORDER, "version": 2, "content": "第二版（迟到）"}
    updated = push(client, v3, clock.now())
    late = push(client, v2, clock.now())
    assert (updated.status_code, updated.json()["outcome"]) == (200, "updated")
    assert (late.status_code, late.json()["outcome"]) == (200, "stale_version_ignored")
    assert order(db, 1).description == v3["content"]
    (update,) = events(db, 1, "updated")
    assert update.data["upstream_version"] == 3
    assert update.data["changes"]["description"]["to"] == v3["content"]
    assert order_count(db) == 1


def test_bad_missing_or_stale_signatures_are_refused_and_create_nothing(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    now = clock.now()
    wrong_secret = push(client, DRAIN_ORDER, now, secret="not-the-shared-secret")
    assert wrong_secret.status_code == 403
    unsigned = push(client, DRAIN_ORDER, now, headers={})
    assert unsigned.status_code == 401
    stale = push(client, DRAIN_ORDER, now - timedelta(minutes=6))
    assert stale.status_code == 401
    assert "stale" in stale.json()["error"]["message"]
    assert order_count(db) == 0


def test_a_well_signed_but_malformed_order_is_a_422(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    response = push(client, {**DRAIN_ORDER, "content": ""}, clock.now())
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "content"
