"""民情日志: each community keeps a work log of who came, what they needed, what was done
and how it ended. The supervisor reads it for any period and prints it for the community's
files, with phones masked and confidential callers left out."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.service import Period
from dispatch.reports.worklog import worklog
from tests.builders.desk import leader, operator, supervisor
from tests.reports.scene import busy_morning

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 22), "Asia/Shanghai")


def test_the_jindi_work_log_lists_every_call_with_what_was_done_and_how_it_ended(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)

    with db.session() as session:
        log = worklog(session, NOVEMBER, "jindi")

    assert log.community and log.community.name == "金地社区"
    # Oldest first; the drain (清水社区) and the stray dog (no place) are other logs' business.
    expected = ["saturday", "late_accept", "satisfied", "duplicate"]
    assert [e.number for e in log.entries] == [orders[k] for k in expected]
    assert log.count == 4
    saturday, late, satisfied, duplicate = log.entries
    assert saturday.caller_name == "陈女士" and saturday.caller_phone == "138****5678"
    assert saturday.compound and saturday.compound.name == "金地花园"
    assert saturday.building == "D区8号楼"
    assert [t.name for t in saturday.teams] == ["金地物业"]
    assert (saturday.status, saturday.result, saturday.satisfaction) == (
        "closed",
        "已清理",
        "partly",
    )
    assert late.status == "accepted" and late.result is None and late.finished_at is None
    assert (satisfied.result, satisfied.satisfaction) == ("已联系业主挪走电动车", "satisfied")
    # The second resident's call keeps its line and ends as the order it joined.
    assert duplicate.merged_into == orders["satisfied"]
    assert (duplicate.status, duplicate.result) == ("closed", "已联系业主挪走电动车")
    assert duplicate.description == "又一位居民反映D区8号楼前消防通道堵塞"

    with db.session() as session:
        everywhere = worklog(session, NOVEMBER, None)
    assert everywhere.community is None and everywhere.count == 6


def test_a_confidential_caller_is_named_nowhere_in_the_log(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    quiet = desk.create_order(confidential=True, description="反映邻居家暴，请勿透露我的身份")

    body = boss.get("/api/v1/reports/worklog", params={"community": "jindi"}).json()

    (entry,) = body["data"]
    assert entry["number"] == quiet["number"] and entry["confidential"] is True
    assert entry["caller_name"] is None and entry["caller_phone"] is None
    sheet = boss.get("/api/v1/reports/worklog.csv", params={"community": "jindi"}).content
    text = sheet.decode("utf-8-sig")
    assert "陈女士" not in text and "5678" not in text and "（保密）" in text


def test_the_supervisor_pages_through_a_long_log_and_downloads_it_whole(
    client: TestClient, clock: FrozenClock
) -> None:
    orders = busy_morning(client, clock)
    boss = supervisor(client)
    params = {"community": "jindi", "from": "2026-11-01", "to": "2026-11-22"}

    page = boss.get("/api/v1/reports/worklog", params={**params, "limit": 2, "offset": 2})

    assert page.status_code == 200
    body = page.json()
    assert body["count"] == 4 and (body["offset"], body["limit"]) == (2, 2)
    assert [e["number"] for e in body["data"]] == [orders["satisfied"], orders["duplicate"]]
    assert body["data"][1]["merged_into"] == orders["satisfied"]
    assert body["data"][0]["teams"][0]["name"] == "金地物业"
    assert body["community"]["name"] == "金地社区" and body["first"] == "2026-11-01"

    xlsx = boss.get("/api/v1/reports/worklog.xlsx", params=params)
    assert xlsx.status_code == 200
    assert "worklog-jindi-2026-11-01-2026-11-22.xlsx" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.title == "民情日志"
    assert str(sheet["A1"].value).startswith("民情日志 · 金地社区 · 统计期间")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("来电时间", "工单号", "渠道", "来电人")
    assert [r[1] for r in rows[1:]] == [orders[k] for k in ("saturday", "late_accept")] + [
        orders["satisfied"],
        orders["duplicate"],
    ]
    assert rows[4][10] == f"并入 {orders['satisfied']}（已归档）"
    assert rows[1][4] == "138****5678" and rows[1][5] == "金地社区 · 金地花园D区8号楼"

    english = boss.get("/api/v1/reports/worklog.csv", params={**params, "lang": "en"})
    header = next(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert header[:3] == ["Received", "Order", "Channel"]


def test_without_a_community_the_log_holds_every_community_as_the_page_asks_for_it(
    client: TestClient, clock: FrozenClock
) -> None:
    orders = busy_morning(client, clock)
    boss = supervisor(client)
    period = {"from": "2026-11-01", "to": "2026-11-22"}

    everything = boss.get("/api/v1/reports/worklog", params=period)

    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert body["community"] is None
    assert set(orders.values()) <= {e["number"] for e in body["data"]}
    file = boss.get("/api/v1/reports/worklog.csv", params=period)
    assert file.status_code == 200
    assert "worklog-all-2026-11-01-2026-11-22.csv" in file.headers["content-disposition"]


def test_an_unknown_community_or_a_wrong_period_is_refused_by_name(client: TestClient) -> None:
    boss = supervisor(client)

    unknown = boss.get("/api/v1/reports/worklog", params={"community": "atlantis"})
    backwards = boss.get(
        "/api/v1/reports/worklog.csv", params={"from": "2026-11-20", "to": "2026-11-01"}
    )

    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "community"
    assert "atlantis" in unknown.json()["error"]["message"]
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "to"


def test_team_roles_and_operators_do_not_read_the_work_log(client: TestClient) -> None:
    for person in (leader(client), operator(client)):
        assert person.get("/api/v1/reports/worklog").status_code == 403
