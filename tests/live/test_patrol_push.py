"""巡查上报, pushed: the field worker's phone hears what happens to their own report though
another team handles it, and so does their team leader's (本队上报); nobody else outside that
team hears of it."""

from __future__ import annotations

from tests.builders.pictures import camera_jpeg
from tests.live.conftest import LiveDesk, listen
from tests.patrol.test_patrol_reports import GRID_WORKER, report
from tests.photos.test_photos import send_photo


async def test_reporter_hears_live_that_the_utility_centre_resolved_their_report(
    desk: LiveDesk,
) -> None:
    grid = desk.person(GRID_WORKER)
    reporter_phone = await listen(desk, grid)
    bystander = await listen(desk, desk.person("leader.yinpi"))
    utility = desk.person("leader.utility")

    number = report(grid).json()["number"]
    assert send_photo(grid, number, camera_jpeg()).status_code == 201
    assert utility.act(number, "accept").status_code == 200
    assert utility.act(number, "resolve", {"result": "已更换井盖"}).status_code == 200

    heard = await reporter_phone.events_until(
        lambda m: m["order_number"] == number and m["kind"] == "resolved"
    )
    kinds = [m["kind"] for m in heard if m["order_number"] == number]
    assert kinds[:3] == ["received", "routed", "dispatched"]
    assert {"photo_added", "accepted", "resolved"} <= set(kinds)
    assert all(m["team_codes"] == ["public-utility"] for m in heard if m["kind"] == "resolved")
    assert "13800000211" not in str(heard)  # phones masked, the reporter's own included
    assert await bystander.quiet_for(0.5)


async def test_team_leader_hears_live_what_becomes_of_a_members_report(desk: LiveDesk) -> None:
    member = desk.person("member.jindi")
    boss_phone = await listen(desk, desk.person("leader.jindi"))
    bystander = await listen(desk, desk.person("leader.yinpi"))

    number = report(member).json()["number"]
    assert desk.person("leader.utility").act(number, "accept").status_code == 200

    heard = await boss_phone.events_until(
        lambda m: m["order_number"] == number and m["kind"] == "accepted"
    )
    ours = [m for m in heard if m["order_number"] == number]
    assert [m["kind"] for m in ours][:3] == ["received", "routed", "dispatched"]
    # The page tells a teammate's report from the leader's own by who reported it.
    member_id = desk.person("member.jindi").get("/api/v1/auth/me").json()["id"]
    assert {m["reporter_id"] for m in ours} == {member_id}
    assert "13800000102" not in str(heard)
    assert await bystander.quiet_for(0.5)
