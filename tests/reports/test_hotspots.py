"""高发点位: the supervisor sees where one kind of problem keeps being reported, so that the
fire lane blocked for the fourth time this month gets a consultation meeting, not a fifth
order closed."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.hotspots import hotspots
from dispatch.reports.service import Period
from tests.builders.desk import operator, supervisor
from tests.reports.scene import busy_morning, local

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 22), "Asia/Shanghai")


def more_fire_lane_calls(client: TestClient, clock: FrozenClock) -> list[str]:
    """Two more residents, other buildings of D区, later that morning."""
    desk = operator(client)
    clock.set(local(22, 9, 0))
    numbers = []
    for building in ("D区9号楼", "D区8号楼"):
        address = {"compound": "jindi-garden", "building": building}
        numbers.append(desk.create_order(address=address)["number"])
        clock.advance(timedelta(minutes=10))
    return numbers


def test_the_fire_lane_blocked_again_and_again_is_the_top_hot_spot(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)
    newest = more_fire_lane_calls(client, clock)

    with db.session() as session:
        found = hotspots(session, NOVEMBER, min_calls=3)

    assert [(s.compound_code, s.category_code) for s in found] == [("jindi-garden", "fire_lane")]
    spot = found[0]
    assert spot.community and spot.community.name == "金地社区"
    assert spot.compound and spot.compound.name == "金地花园"
    assert spot.category and spot.category.name == "消防通道堵塞"
    # Six calls: Saturday night's, four on Sunday morning (one merged as a duplicate), and
    # the two new ones; every call counts, the duplicate too.
    assert spot.calls == 6
    # Still being worked on: the late-accepted order and the two new ones.
    assert spot.open == 3
    assert spot.buildings == ["D区8号楼", "D区9号楼"]
    # Newest first, the duplicate left out: it lives on in the order it joined.
    assert spot.orders[:2] == list(reversed(newest))
    assert orders["duplicate"] not in spot.orders and len(spot.orders) == 5
    assert spot.first_at == local(21, 23, 30) and spot.last_at == local(22, 9, 10)


def test_fewer_calls_than_the_threshold_and_calls_without_a_place_are_no_hot_spot(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)  # one blocked drain, one stray dog with no address
    desk = operator(client)
    for _ in range(2):  # the dog again, twice, still with no address
        desk.create_order(channel="web", category="other", description="流浪狗", address={})

    with db.session() as session:
        assert [s.category_code for s in hotspots(session, NOVEMBER, min_calls=2)] == ["fire_lane"]
        # A period before the calls finds nothing.
        october = Period(date(2026, 10, 1), date(2026, 10, 31), "Asia/Shanghai")
        assert hotspots(session, october, min_calls=2) == []


def test_orders_naming_only_a_community_make_a_community_wide_hot_spot(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    desk = operator(client)
    clock.set(local(22, 8, 0))
    for _ in range(3):
        desk.create_order(
            category="noise", description="夜里广场舞音响太响", address={"community": "jindi"}
        )

    with db.session() as session:
        (spot,) = hotspots(session, NOVEMBER, min_calls=3)

    assert (spot.community_code, spot.compound_code, spot.category_code) == ("jindi", None, "noise")
    assert spot.compound is None and spot.buildings == [] and spot.calls == 3


def test_supervisors_read_the_last_30_days_by_default_and_export_them(
    client: TestClient, clock: FrozenClock
) -> None:
    busy_morning(client, clock)
    more_fire_lane_calls(client, clock)
    boss = supervisor(client)

    answer = boss.get("/api/v1/reports/hotspots")

    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["first"], report["last"], report["min_calls"]) == (
        "2026-10-24",
        "2026-11-22",
        3,
    )
    (spot,) = report["data"]
    assert spot["compound"]["name"] == "金地花园" and spot["category"]["code"] == "fire_lane"
    assert (spot["calls"], spot["open"]) == (6, 3)

    exported = boss.get("/api/v1/reports/hotspots.csv", params={"lang": "zh"})
    assert exported.status_code == 200, exported.text
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert any("金地花园" in row and "6" in row for row in rows)


def test_a_threshold_below_two_or_a_team_leader_asking_is_refused(client: TestClient) -> None:
    refused = supervisor(client).get("/api/v1/reports/hotspots", params={"min_calls": 1})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "min_calls"
    assert operator(client).get("/api/v1/reports/hotspots").status_code == 403
