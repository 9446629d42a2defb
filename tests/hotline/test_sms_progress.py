"""查询进度 by text: a resident asks where their requests have got to and is told, never
anything about someone else's order, and nothing is created by asking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from tests.builders.desk import leader, operator
from tests.hotline.lookups import events, order_count
from tests.hotline.test_sms import RESIDENT, answer
from tests.hotline.twilio_builders import Sms

NEIGHBOUR = "+8613812340077"
ROOF_LEAK = {
    "category": "roof_leak",
    "description": "金地花园D区8号楼顶楼漏水",
}


def _order(client: TestClient, **overrides: Any) -> str:
    return str(operator(client).create_order(**overrides)["number"])


def test_resident_texts_查询_and_hears_that_jindi_property_is_on_it(client: TestClient) -> None:
    number = _order(client)
    assert leader(client, "jindi").act(number, "accept").status_code == 200
    text = answer(Sms(client, RESIDENT).send("查询"))
    assert text == f"{number} 消防通道堵塞：金地物业已签收，正在处理"


def test_the_newest_three_are_told_open_first_and_older_ones_by_their_number(
    client: TestClient,
) -> None:
    desk, team = operator(client), leader(client, "jindi")
    resolved, closed, cancelled, dispatched, accepted = (
        _order(client, **ROOF_LEAK) for _ in range(5)
    )
    for number in (resolved, closed, accepted):
        assert team.act(number, "accept").status_code == 200
    for number in (resolved, closed):
        done = team.act(number, "resolve", {"result": "已修补楼顶防水层"})
        assert done.status_code == 200, done.text
    assert desk.act(closed, "close").status_code == 200
    assert desk.act(cancelled, "cancel", {"reason": "居民来电撤回诉求"}).status_code == 200

    lines = answer(Sms(client, RESIDENT).send("查询进度")).split("\n")
    assert lines == [
        f"{accepted} 房屋漏水：金地物业已签收，正在处理",
        f"{dispatched} 房屋漏水：已派给金地物业",
        f"{cancelled} 房屋漏水：已撤销",
    ]
    by_number = answer(Sms(client, RESIDENT).send(f"查 {resolved}"))
    assert by_number == f"{resolved} 房屋漏水：已办结：已修补楼顶防水层"
    assert answer(Sms(client, RESIDENT).send(closed.lower())) == f"{closed} 房屋漏水：已归档"


def test_asking_for_a_neighbours_order_number_reads_like_no_such_order(
    client: TestClient,
) -> None:
    theirs = _order(client, caller={"name": "王先生", "phone": NEIGHBOUR})
    about_theirs = answer(Sms(client, RESIDENT).send(f"查询 {theirs}"))
    about_none = answer(Sms(client, RESIDENT).send("查询 WO-20261122-0099"))
    assert "消防通道" not in about_theirs and "金地物业" not in about_theirs
    assert about_theirs.replace(theirs, "?") == about_none.replace("WO-20261122-0099", "?")
    assert "消防通道" in answer(Sms(client, NEIGHBOUR).send(f"查询 {theirs}"))


def test_a_confidential_order_is_only_said_to_exist(client: TestClient) -> None:
    number = _order(client, confidential=True)
    text = answer(Sms(client, RESIDENT).send("进度"))
    assert number in text and "热线" in text
    assert "消防通道" not in text and "金地物业" not in text and "派" not in text


def test_a_number_that_never_reported_anything_hears_how_to_make_a_request(
    client: TestClient, db: Database
) -> None:
    text = answer(Sms(client, "+8613812340088").send("查询"))
    assert "没有查到" in text and "发短信说明问题和地址" in text
    assert order_count(db) == 0


def test_orders_older_than_ninety_days_are_not_read_out(
    client: TestClient, clock: FrozenClock
) -> None:
    _order(client)
    clock.advance(timedelta(days=91))
    assert "没有查到" in answer(Sms(client, RESIDENT).send("查询"))


def test_查询_makes_no_order_and_no_note_on_the_open_order(
    client: TestClient, db: Database
) -> None:
    resident = Sms(client, "+8613812340003")
    answer(resident.send("安怡家园E区1号楼屋顶漏水"))
    before = (order_count(db), len(events(db, 1)))
    for body in ("查询", "查询进度", "WO-20261122-0001", "查 WO-20261122-0001"):
        assert "WO-20261122-0001" in answer(resident.send(body))
    assert (order_count(db), len(events(db, 1))) == before
    assert events(db, 1, "note_added") == []


def test_a_team_leaders_查询_is_still_read_as_an_accept_code(
    client: TestClient, db: Database
) -> None:
    assert "签收码" in answer(Sms(client, "+8613800000101").send("查询"))  # leader.jindi
    assert order_count(db) == 0
