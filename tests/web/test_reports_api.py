"""The three rates per team, the board's snapshot and the exports, over HTTP."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from tests.builders.desk import Person, leader, operator, supervisor


def _rates(client: TestClient, team: str) -> dict[str, object]:
    body = supervisor(client).get("/api/v1/reports/teams").json()
    row: dict[str, object] = next(r for r in body["data"] if r["team_code"] == team)
    return row


def test_rates_count_accepted_resolved_and_satisfied_over_dispatched(
    client: TestClient,
) -> None:
    desk, jindi = operator(client), leader(client)
    numbers = [desk.create_order()["number"] for _ in range(4)]
    for number in numbers[:3]:
        assert jindi.act(number, "accept").status_code == 200
    for number in numbers[:2]:
        assert jindi.act(number, "resolve", {"result": "已处理"}).status_code == 200
    assert desk.act(numbers[0], "callback", {"satisfaction": "satisfied"}).status_code == 200
    assert desk.act(numbers[1], "callback", {"satisfaction": "partly"}).status_code == 200

    row = _rates(client, "jindi-property")
    assert (row["dispatched"], row["accepted"], row["resolved"]) == (4, 3, 2)
    assert (row["callbacks"], row["satisfied"]) == (2, 1)
    assert (row["response_rate"], row["resolution_rate"], row["satisfaction_rate"]) == (
        0.75,
        0.5,
        0.5,
    )
    idle = _rates(client, "water-company")
    assert idle["dispatched"] == 0 and idle["response_rate"] is None


def test_board_shows_counts_late_orders_intake_and_urges(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    late = desk.create_order()["number"]
    desk.create_order(category="other", description="小区门口有一只流浪狗", address={})
    boss.act(late, "urge", {"reason": "居民再次来电"})
    clock.advance(timedelta(minutes=20))  # past the 15-minute accept window

    board = boss.get("/api/v1/reports/board").json()
    assert board["counts"]["dispatched"] == 1 and board["counts"]["triage"] == 1
    assert [o["number"] for o in board["late"]] == [late]
    assert board["late"][0]["due_kind"] == "accept"
    assert board["late"][0]["teams"] == ["jindi-property"]
    assert sum(h["count"] for h in board["intake_by_hour"]) == 2
    assert len(board["intake_by_hour"]) == 24
    # The in-process escalation sweeper may add steps of its own; the urge is there.
    assert ("urged", late) in [(e["kind"], e["order_number"]) for e in board["escalations"]]


def test_team_report_exports_as_csv_and_xlsx_in_the_page_language(client: TestClient) -> None:
    operator(client).create_order()
    boss = supervisor(client)

    response = boss.get("/api/v1/reports/teams.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with the BOM
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["服务队", "派单数"] and rows[0][7] == "响应率"
    assert ["金地物业", "1", "0", "0", "0", "0", "0", "0.0%", "0.0%", ""] in rows

    english = boss.get("/api/v1/reports/teams.csv?lang=en").content.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Team,Dispatched,Accepted")
    assert "Jindi Property Management" in english

    xlsx = boss.get("/api/v1/reports/teams.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][0] == "服务队"
    jindi = next(r for r in values if r[0] == "金地物业")
    assert jindi[1:4] == [1, 0, 0] and jindi[7] == 0.0


def test_reports_are_for_supervisors_and_check_the_period(client: TestClient) -> None:
    assert leader(client).get("/api/v1/reports/teams").status_code == 403
    assert operator(client).get("/api/v1/reports/board").status_code == 403
    boss = supervisor(client)
    assert boss.get("/api/v1/reports/teams?from=2026-11-20&to=2026-11-01").status_code == 422
    assert boss.get("/api/v1/reports/teams?from=2020-01-01&to=2026-11-01").status_code == 422
    week = boss.get("/api/v1/reports/teams?from=2026-11-16&to=2026-11-22").json()
    assert (week["first"], week["last"]) == ("2026-11-16", "2026-11-22")


def test_a_team_taken_out_of_service_keeps_its_figures_for_the_days_it_worked(
    client: TestClient,
) -> None:
    desk, jindi = operator(client), leader(client)
    number = desk.create_order()["number"]
    assert jindi.act(number, "accept").status_code == 200
    assert jindi.act(number, "resolve", {"result": "已清理"}).status_code == 200
    admin = Person(client, "admin")
    answer = admin.patch("/api/v1/teams/jindi-property", {"active": False})  # contract ended
    assert answer.status_code == 200, answer.text

    row = _rates(client, "jindi-property")
    assert (row["dispatched"], row["accepted"], row["resolved"]) == (1, 1, 1)
    codes = [r["team_code"] for r in supervisor(client).get("/api/v1/reports/teams").json()["data"]]
    assert codes == sorted(codes)
    assert "yinpi-property" in codes  # in service and idle: listed as before
