"""巡查上报统计: the supervisor sees, per field worker, how many problems they reported, how many
they dealt with on the spot (自行处置率), and what became of those sent on to a team."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.patrol import patrol_report
from dispatch.reports.service import Period
from tests.builders.desk import FIRE_LANE, Person, leader, operator, supervisor
from tests.builders.pictures import camera_jpeg
from tests.patrol.test_patrol_reports import MANHOLE, report
from tests.photos.test_photos import send_photo
from tests.reports.scene import local

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Shanghai")
ON_SITE = {
    **MANHOLE,
    "category": "other",
    "description": "楼道口杂物堵住通道",
    "handled_on_site": "已清走",
}


def a_month_of_patrols(client: TestClient, clock: FrozenClock) -> None:
    grid, jindi = Person(client, "leader.grid"), leader(client)
    clock.set(local(20, 9))
    resolved = report(grid).json()["number"]  # a manhole cover: the utility centre's
    assert send_photo(grid, resolved, camera_jpeg()).status_code == 201
    utility = leader(client, "utility")
    assert utility.act(resolved, "accept").status_code == 200
    assert utility.act(resolved, "resolve", {"result": "已更换"}).status_code == 200
    report(grid)  # another, still open
    assert report(grid, ON_SITE).status_code == 201
    cancelled = report(grid).json()["number"]
    assert operator(client).act(cancelled, "cancel", {"reason": "重复"}).status_code == 200
    clock.set(local(21, 10))
    fire_lane = {k: FIRE_LANE[k] for k in ("category", "address", "description")}
    assert report(jindi, fire_lane).status_code == 201  # his own team's, sent on by the rules
    # Not anyone's report: the desk typing a patrol call in, and a report of last month.
    operator(client).create_order(channel="patrol")
    clock.set(local(1, 9).replace(month=10))
    report(grid)


def test_the_supervisor_sees_each_field_workers_reports_and_what_became_of_them(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    a_month_of_patrols(client, clock)

    with db.session() as session:
        found = patrol_report(session, NOVEMBER)

    grid, jindi = found.reporters
    assert (grid.username, grid.name, grid.team and grid.team.code) == (
        "leader.grid",
        "马小兰",
        "grid-qingshui",
    )
    assert (grid.reported, grid.on_site, grid.sent_on) == (4, 1, 3)
    assert (grid.resolved, grid.open, grid.cancelled) == (1, 1, 1)
    assert grid.on_site_rate == 0.25
    assert (jindi.username, jindi.reported, jindi.open, jindi.on_site_rate) == (
        "leader.jindi",
        1,
        1,
        0.0,
    )
    assert (found.total.reported, found.total.on_site, found.total.resolved) == (5, 1, 1)


def test_the_patrol_report_is_for_supervisors_and_comes_as_a_file(
    client: TestClient, clock: FrozenClock
) -> None:
    a_month_of_patrols(client, clock)
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    boss = supervisor(client)

    body = boss.get("/api/v1/reports/patrol", params=period).json()
    assert [r["username"] for r in body["data"]] == ["leader.grid", "leader.jindi"]
    assert body["data"][0]["team"]["name"] == "清水社区网格员"
    assert (body["total"]["reported"], body["total"]["on_site_rate"]) == (5, 0.2)

    text = boss.get("/api/v1/reports/patrol.csv", params={**period, "lang": "zh-CN"})
    assert text.status_code == 200
    assert 'filename="patrol-2026-11-01-2026-11-30.csv"' in text.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    header = next(r for r in rows if r and r[0] == "上报人")
    assert header[-1] == "自行处置率"
    assert rows[-1][0] == "合计" and rows[-1][2] == "5"
    book = boss.get("/api/v1/reports/patrol.xlsx", params=period)
    assert load_workbook(io.BytesIO(book.content)).active is not None

    assert operator(client).get("/api/v1/reports/patrol").status_code == 403
    assert leader(client).get("/api/v1/reports/patrol").status_code == 403
    backwards = boss.get(
        "/api/v1/reports/patrol", params={"from": "2026-11-30", "to": "2026-11-01"}
    )
    assert (backwards.status_code, backwards.json()["error"]["field"]) == (422, "to")
