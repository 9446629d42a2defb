"""The three rates per category and per community: each order once, merged calls as intake."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.breakdown import GroupRates, category_rates, community_rates
from dispatch.reports.service import Period
from tests.builders.desk import leader, operator
from tests.reports.scene import busy_morning

SUNDAY = Period(date(2026, 11, 22), date(2026, 11, 22), "Asia/Shanghai")


def _counts(row: GroupRates) -> tuple[int, ...]:
    return (row.received, row.dispatched, row.accepted, row.resolved, row.callbacks, row.satisfied)


def test_each_order_counts_once_under_its_category_and_a_merged_call_only_as_intake(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    with db.session() as session:
        rows = {r.code: r for r in category_rates(session, SUNDAY)}

    # Three fire-lane calls on Sunday; one was a duplicate merged into another.
    fire_lane = rows["fire_lane"]
    assert (fire_lane.name, fire_lane.name_en) == ("消防通道堵塞", "Fire lane blocked")
    assert _counts(fire_lane) == (3, 2, 2, 1, 1, 1)
    assert (fire_lane.response_rate, fire_lane.resolution_rate) == (1.0, 0.5)
    assert fire_lane.satisfaction_rate == 1.0
    # The blocked drain waits for the water company; the stray dog waits in triage.
    assert _counts(rows["drain_blocked"]) == (1, 1, 0, 0, 0, 0)
    assert rows["drain_blocked"].response_rate == 0.0
    assert _counts(rows["other"]) == (1, 0, 0, 0, 0, 0)
    assert rows["other"].response_rate is None  # nothing dispatched: no rate, not 0 %
    # Every category shows, busy or not.
    assert _counts(rows["noise"]) == (0, 0, 0, 0, 0, 0) and len(rows) == 15


def test_communities_come_in_code_order_and_orders_without_one_come_last(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    with db.session() as session:
        rows = community_rates(session, SUNDAY)

    codes = [r.code for r in rows]
    assert codes == ["anyi", "gaotaisi", "jindi", "pingfuqiao", "qingshui", "xiyuan", None]
    by_code = {r.code: r for r in rows}
    assert (by_code["jindi"].name, by_code["jindi"].name_en) == ("金地社区", "Jindi Community")
    assert _counts(by_code["jindi"]) == (3, 2, 2, 1, 1, 1)
    assert _counts(by_code["qingshui"]) == (1, 1, 0, 0, 0, 0)
    assert _counts(by_code[None]) == (1, 0, 0, 0, 0, 0)


def test_the_period_is_local_days_so_a_call_at_ten_past_midnight_is_sundays(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    saturday = Period(date(2026, 11, 21), date(2026, 11, 21), "Asia/Shanghai")
    weekend = Period(date(2026, 11, 21), date(2026, 11, 22), "Asia/Shanghai")
    with db.session() as session:
        on_saturday = {r.code: r for r in community_rates(session, saturday)}
        over_weekend = {r.code: r for r in community_rates(session, weekend)}

    assert _counts(on_saturday["jindi"]) == (1, 1, 1, 1, 1, 0)  # the callback was "partly"
    assert None not in on_saturday  # no unplaced order that day: no empty row for it
    assert _counts(over_weekend["jindi"]) == (4, 3, 3, 2, 2, 1)


def test_an_unsatisfied_resident_reopens_the_order_and_it_no_longer_counts_as_resolved(
    client: TestClient, db: Database
) -> None:
    desk, jindi = operator(client), leader(client)
    number = desk.create_order()["number"]
    jindi.act(number, "accept")
    jindi.act(number, "resolve", {"result": "已处理"})
    desk.act(number, "callback", {"satisfaction": "unsatisfied", "note": "还堵着"})

    with db.session() as session:
        rows = {r.code: r for r in category_rates(session, SUNDAY)}
    assert _counts(rows["fire_lane"]) == (1, 1, 1, 0, 1, 0)
    assert rows["fire_lane"].satisfaction_rate == 0.0
