"""A morning at the desk, set up over HTTP as the people would do it, on the frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from tests.builders.desk import leader, operator, supervisor

# Local times in Yinchuan (UTC+8) on the demo Sunday, 2026-11-22, and the evening before.
LOCAL = timedelta(hours=8)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - LOCAL


DRAIN: dict[str, Any] = {
    "channel": "sms",
    "category": "drain_blocked",
    "description": "永安北巷下水道堵塞，汛期快到了",
    "address": {"compound": "yongan-north-lane"},
}
STRAY_DOG: dict[str, Any] = {
    "channel": "web",
    "category": "other",
    "description": "小区门口有一只流浪狗",
    "address": {},
}


def busy_morning(client: TestClient, clock: FrozenClock) -> dict[str, str]:
    """Saturday night one call; Sunday morning five orders and what the teams did with them.

    Returns the order numbers by role in the story.
    """
    desk, jindi, boss = operator(client), leader(client), supervisor(client)
    clock.set(local(21, 23, 30))
    orders = {"saturday": desk.create_order()["number"]}
    jindi.act(orders["saturday"], "accept")

    clock.set(local(22, 0, 10))  # ten past midnight: Sunday already
    orders["late_accept"] = desk.create_order()["number"]
    clock.advance(timedelta(minutes=20))  # past the 15-minute accept window
    jindi.act(orders["late_accept"], "accept")

    clock.set(local(22, 8, 0))
    orders["satisfied"] = desk.create_order()["number"]
    orders["duplicate"] = desk.create_order(description="又一位居民反映D区8号楼前消防通道堵塞")[
        "number"
    ]
    assert (
        desk.act(orders["duplicate"], "merge", {"parent": orders["satisfied"]}).status_code == 200
    )
    orders["drain"] = desk.create_order(**DRAIN)["number"]
    orders["stray_dog"] = desk.create_order(**STRAY_DOG)["number"]
    boss.act(orders["drain"], "urge", {"reason": "居民再次来电"})

    clock.advance(timedelta(minutes=5))
    jindi.act(orders["satisfied"], "accept")
    jindi.act(orders["satisfied"], "resolve", {"result": "已联系业主挪走电动车"})
    desk.act(orders["satisfied"], "callback", {"satisfaction": "satisfied"})
    jindi.act(orders["saturday"], "resolve", {"result": "已清理"})
    desk.act(orders["saturday"], "callback", {"satisfaction": "partly"})
    clock.set(local(22, 10, 30))
    return orders
