"""The reports over HTTP: JSON for the page, CSV and XLSX for the office; supervisors only."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from tests.builders.desk import leader, operator, supervisor
from tests.reports.scene import busy_morning

NEW_REPORTS = (
    "/api/v1/reports/categories",
    "/api/v1/reports/categories.csv",
    "/api/v1/reports/communities",
    "/api/v1/reports/communities.xlsx",
    "/api/v1/reports/daily",
    "/api/v1/reports/daily.csv",
)


def test_rates_per_category_and_community_for_a_period(
    client: TestClient, clock: FrozenClock
) -> None:
    busy_morning(client, clock)
    boss = supervisor(client)

    categories = boss.get("/api/v1/reports/categories?from=2026-11-22&to=2026-11-22").json()
    assert (categories["first"], categories["last"]) == ("2026-11-22", "2026-11-22")
    fire_lane = next(r for r in categories["data"] if r["code"] == "fire_lane")
    assert (fire_lane["received"], fire_lane["dispatched"], fire_lane["resolved"]) == (3, 2, 1)
    assert fire_lane["resolution_rate"] == 0.5 and fire_lane["name_en"] == "Fire lane blocked"

    week = boss.get("/api/v1/reports/communities").json()  # the last 7 days by default
    assert (week["first"], week["last"]) == ("2026-11-16", "2026-11-22")
    assert week["data"][-1] == {
        "code": None,
        "name": "",
        "name_en": "",
        "received": 1,
        "dispatched": 0,
        "accepted": 0,
        "resolved": 0,
        "callbacks": 0,
        "satisfied": 0,
        "response_rate": None,
        "resolution_rate": None,
        "satisfaction_rate": None,
    }


def test_category_and_community_exports_follow_the_page_language(
    client: TestClient, clock: FrozenClock
) -> None:
    busy_morning(client, clock)
    boss = supervisor(client)

    response = boss.get("/api/v1/reports/categories.csv?lang=en")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="categories-2026-11-16-2026-11-22.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Category", "Received"]
    assert ["Blocked drain or sewer", "1", "1", "0", "0", "0", "0", "0.0%", "0.0%", ""] in rows

    xlsx = boss.get("/api/v1/reports/communities.xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.title == "社区三率"
    assert [c.value for c in sheet[2]][:2] == ["社区", "受理数"]


def test_daily_summary_is_today_by_default_and_any_past_day_on_request(
    client: TestClient, clock: FrozenClock
) -> None:
    orders = busy_morning(client, clock)
    boss = supervisor(client)

    today = boss.get("/api/v1/reports/daily").json()
    assert (today["day"], today["complete"], today["received"]) == ("2026-11-22", False, 5)
    assert today["by_channel"]["sms"] == 1
    assert today["by_category"][0] == {
        "category": {"code": "fire_lane", "name": "消防通道堵塞", "name_en": "Fire lane blocked"},
        "count": 3,
    }
    assert today["progress"] == {"dispatched": 4, "accepted": 2, "resolved": 2, "closed": 2}
    assert [o["number"] for o in today["late"]].count(orders["drain"]) == 2
    assert today["escalation_counts"]["urged"] == 1
    assert today["satisfaction"] == {
        "satisfied": 1,
        "partly": 1,
        "unsatisfied": 0,
        "callbacks": 2,
        "rate": 0.5,
    }

    saturday = boss.get("/api/v1/reports/daily?day=2026-11-21").json()
    assert (saturday["complete"], saturday["received"]) == (True, 1)

    xlsx = boss.get("/api/v1/reports/daily.xlsx?day=2026-11-21&lang=en")
    assert xlsx.headers["content-disposition"] == 'attachment; filename="daily-2026-11-21.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "Daily summary 2026-11-21"


def test_team_leaders_and_operators_may_not_read_reports(client: TestClient) -> None:
    for person in (leader(client), operator(client)):
        for path in NEW_REPORTS:
            response = person.get(path)
            assert response.status_code == 403, (person.username, path, response.text)
            assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/daily?day=2026-13-45", "day"),  # no such date
        ("/daily?day=yesterday", "day"),
        ("/daily?day=2026-11-23", "day"),  # tomorrow has not begun
        ("/daily.csv?day=1999-12-31", "day"),  # before anything was recorded
        ("/categories?from=0001-01-01&to=0001-01-07", "from"),
        ("/communities?to=9999-12-31", "to"),
        ("/teams?from=2026-11-20&to=2026-11-01", "to"),  # the wrong way round
        ("/categories?from=2020-01-01&to=2026-11-01", "from"),  # more than a year
        ("/communities.pdf", "ext"),  # not a format we write
    ],
)
def test_bad_dates_get_a_clear_422_naming_the_field(
    client: TestClient, query: str, field: str
) -> None:
    response = supervisor(client).get("/api/v1/reports" + query)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field and error["code"] in ("invalid", "validation_error")
    assert error["message"]
