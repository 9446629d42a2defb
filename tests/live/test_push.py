"""Pushed, not polled: a new assignment reaches its team's phones, and only theirs."""

from __future__ import annotations

from tests.builders.desk import FIRE_LANE
from tests.live.conftest import LiveDesk, listen

YINPI_ROOF = {**FIRE_LANE, "address": {"compound": "yinpi-south", "building": "14号楼"}}


def dispatched_for(number: str):  # type: ignore[no-untyped-def]
    return lambda m: m["order_number"] == number and m["kind"] == "dispatched"


async def test_team_leader_receives_pushed_order_without_polling(desk: LiveDesk) -> None:
    phone = await listen(desk, desk.person("leader.jindi"))
    created = desk.person("operator.li").create_order()

    message = (await phone.events_until(dispatched_for(created["number"])))[-1]

    assert message["status"] == "dispatched"
    assert message["team_codes"] == ["jindi-property"]
    assert message["data"]["lead_team"] == "jindi-property"
    assert message["id"] > phone.ready["last_event_id"]
    assert "13812345678" not in str(message)  # the caller's phone never rides along


async def test_other_team_never_receives_the_order(desk: LiveDesk) -> None:
    other_phone = await listen(desk, desk.person("leader.yinpi"))
    board = await listen(desk, desk.person("supervisor.zhang"))
    console = await listen(desk, desk.person("operator.li"))
    operator = desk.person("operator.li")

    jindi_order = operator.create_order()["number"]
    # Once the board has the jindi order, the hub has fanned it out to everyone...
    on_board = await board.events_until(dispatched_for(jindi_order))
    assert [m["kind"] for m in on_board][-3:] == ["received", "routed", "dispatched"]
    await console.events_until(dispatched_for(jindi_order))
    # ...and the yinpi leader's next event is its own order, with nothing of jindi before it.
    yinpi_order = operator.create_order(**YINPI_ROOF)["number"]
    got = await other_phone.events_until(dispatched_for(yinpi_order))

    assert {m["order_number"] for m in got} == {yinpi_order}
    assert all("yinpi-property" in m["team_codes"] for m in got)
