"""Police matters go to the police platform at once; the order shows the platform's reference."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from hotline.wiring import outbox_worker
from tests.builders.desk import operator
from tests.hotline.lookups import events
from tests.hotline.upstream_builders import (
    DRAIN_ORDER,
    Outside,
    police_platform,
    push,
    upstream_12345,
)

THREAT = {
    "channel": "phone",
    "caller": {"name": "王奶奶", "phone": "13912340001"},
    "address": {"compound": "jindi-garden", "building": "B区3号楼"},
    "category": "dispute",
    "description": "继子深夜上门骚扰威胁，索要丧葬费",
}


def test_a_police_matter_is_handed_to_police_with_the_platforms_reference(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    police = police_platform(failures=1)
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream_12345(), police).transport()
    )
    order = operator(client).create_order(**THREAT)
    assert order["police_matter"] is True
    worker.drain()
    assert police.accepted == []
    clock.advance(timedelta(seconds=11))
    worker.drain()
    (referral,) = police.accepted
    assert referral["kind"] == "referral"
    assert referral["order_number"] == order["number"]
    assert referral["caller"]["phone"] == "+8613912340001"
    (handed,) = events(db, order["id"], "handed_to_police")
    assert handed.data["platform_reference"] == "JJ-0001"


def test_a_non_police_matter_stays_with_the_community(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    police = police_platform()
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream_12345(), police).transport()
    )
    order = operator(client).create_order()
    worker.drain()
    assert police.seen == []
    assert events(db, order["id"], "handed_to_police") == []


def test_a_12345_police_matter_also_tells_12345_it_was_handed_to_police(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream, police = upstream_12345(), police_platform()
    worker = outbox_worker(db, settings, clock, transport=Outside(upstream, police).transport())
    threat = {**DRAIN_ORDER, "content": "楼下有人打架，可能要动刀", "category": "dispute"}
    assert push(client, threat, clock.now()).status_code == 201
    worker.drain()
    assert len(police.accepted) == 1
    assert [m["result_type"] for m in upstream.accepted] == ["handed_to_police"]
    assert upstream.accepted[0]["police_reference"] == "JJ-0001"
