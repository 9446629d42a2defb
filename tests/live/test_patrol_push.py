"""巡查上报, pushed: the field worker's phone hears what happens to their own report though
another team handles it; nobody else outside that team hears of it."""

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
