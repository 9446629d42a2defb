"""话务员工作量: the supervisor sees, for a month, what each person at the desk did: the calls
they took and answered, what they dispatched from triage, called back, reopened, called off
and noted; the basis of the hotline's monthly 绩效."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.operators import COUNTS, operator_report
from dispatch.reports.service import Period
from tests.builders.desk import Person, leader, operator, supervisor
from tests.patrol.test_patrol_reports import report
from tests.reports.scene import DRAIN, STRAY_DOG, local

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Shanghai")
QUESTION = {**STRAY_DOG, "description": "想问小区停水什么时候恢复"}
ANSWER = "已告知居民停水将于今晚八点前恢复"


def ok(response: object) -> None:
    assert getattr(response, "status_code", None) == 200, getattr(response, "text", response)


def a_month_at_the_desk(client: TestClient, clock: FrozenClock) -> None:
    li, wang, boss = operator(client), Person(client, "operator.wang"), supervisor(client)
    jindi = leader(client)
    clock.set(local(20, 9))
    fire_lane = li.create_order()["number"]  # by phone, dispatched by the rules
    li.create_order(**DRAIN)  # by SMS, typed in
    li.create_order(**QUESTION, answered_at_desk=ANSWER)  # answered in the call
    stray = li.create_order(**STRAY_DOG)["number"]  # by the web form, to triage
    ok(wang.act(stray, "dispatch", {"lead_team": "jindi-property"}))
    question = li.create_order(**QUESTION)["number"]  # to triage; wang rings back and answers
    ok(wang.act(question, "answer", {"answer": ANSWER}))
    boss.create_order(description="金地花园B区消防通道被杂物堵塞")

    ok(jindi.act(fire_lane, "accept"))
    ok(jindi.act(fire_lane, "resolve", {"result": "已联系业主挪走电动车"}))
    ok(li.act(fire_lane, "callback", {"satisfaction": "unsatisfied", "note": "车又停回来了"}))
    ok(li.act(fire_lane, "notes", {"text": "已电话告知物业"}))
    ok(jindi.act(fire_lane, "notes", {"text": "已到现场"}))  # a team's note: not desk work
    ok(boss.act(stray, "cancel", {"reason": "重复来电"}))

    # Not taken at the desk: patrol entries (the desk's own and the field's), a 12345 order.
    li.create_order(channel="patrol")
    li.create_order(channel="12345", upstream_ref="12345-20261120-0001")
    assert report(Person(client, "leader.grid")).status_code == 201
    clock.set(local(1, 9).replace(month=10))  # last month
    li.create_order()
    clock.set(local(22, 10))


def test_supervisor_sees_each_operators_calls_answers_and_callbacks_for_the_month(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    a_month_at_the_desk(client, clock)

    with db.session() as session:
        found = operator_report(session, NOVEMBER)

    def counts(username: str) -> dict[str, int]:
        row = next(o for o in found.operators if o.username == username)
        return {count: getattr(row, count) for count in COUNTS if getattr(row, count)}

    # Most calls taken first: the people with none, by name.
    assert [(o.username, o.name, o.role) for o in found.operators] == [
        ("operator.li", "李话务", "operator"),
        ("supervisor.zhang", "张督办", "supervisor"),
        ("operator.wang", "王接线", "operator"),
    ]
    # Two of li's calls answered at the desk: one in the call, one wang rang back about.
    # The unsatisfied callback reopened the order: 重办 as well as 回访.
    assert counts("operator.li") == {
        "received": 5,
        "answered_at_desk": 2,
        "callbacks": 1,
        "reopened": 1,
        "notes": 1,
    }
    assert counts("supervisor.zhang") == {"received": 1, "cancelled": 1}
    assert counts("operator.wang") == {"dispatched": 1}
    assert [getattr(found.total, count) for count in COUNTS] == [6, 2, 1, 1, 1, 1, 1]


def test_a_period_nobody_worked_has_no_rows_and_a_zero_total(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    a_month_at_the_desk(client, clock)

    with db.session() as session:
        found = operator_report(
            session, Period(date(2026, 9, 1), date(2026, 9, 30), "Asia/Shanghai")
        )

    assert found.operators == []
    assert [getattr(found.total, count) for count in COUNTS] == [0] * len(COUNTS)


def test_the_workload_report_is_for_supervisors_and_comes_as_a_file(
    client: TestClient, clock: FrozenClock
) -> None:
    a_month_at_the_desk(client, clock)
    boss = supervisor(client)

    month = boss.get("/api/v1/reports/operators").json()  # the last 30 days by default
    assert (month["first"], month["last"], month["timezone"]) == (
        "2026-10-24",
        "2026-11-22",
        "Asia/Shanghai",
    )
    assert [r["username"] for r in month["data"]] == [
        "operator.li",
        "supervisor.zhang",
        "operator.wang",
    ]
    assert month["total"] == {
        "username": "",
        "name": "",
        "role": None,
        "received": 6,
        "answered_at_desk": 2,
        "dispatched": 1,
        "callbacks": 1,
        "reopened": 1,
        "cancelled": 1,
        "notes": 1,
    }

    period = {"from": "2026-11-01", "to": "2026-11-30"}
    text = boss.get("/api/v1/reports/operators.csv", params={**period, "lang": "zh-CN"})
    assert 'filename="operators-2026-11-01-2026-11-30.csv"' in text.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "姓名",
        "账号",
        "岗位",
        "受理",
        "直接答复",
        "派单",
        "回访",
        "重办",
        "撤销",
        "备注",
    ]
    assert rows[1] == ["李话务", "operator.li", "话务员", "5", "2", "0", "1", "1", "0", "1"]
    assert rows[-1][:4] == ["合计", "", "", "6"]
    book = boss.get("/api/v1/reports/operators.xlsx", params={**period, "lang": "en"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and sheet["A2"].value == "Name" and sheet["D3"].value == 5

    for who in (operator(client), leader(client)):
        assert who.get("/api/v1/reports/operators").status_code == 403
    backwards = boss.get(
        "/api/v1/reports/operators.csv", params={"from": "2026-11-30", "to": "2026-11-01"}
    )
    assert (backwards.status_code, backwards.json()["error"]["field"]) == (422, "to")
