"""The reports as the office opens them in Excel: CSV with a BOM, XLSX with percentages."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports import export, tables
from dispatch.reports.breakdown import community_rates
from dispatch.reports.daily import daily_summary
from dispatch.reports.service import Period
from dispatch.web.i18n import Translator
from tests.reports.scene import busy_morning

SUNDAY = date(2026, 11, 22)
ZH, EN = Translator("zh-CN"), Translator("en")


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _section(rows: list[list[str]], heading: str) -> list[list[str]]:
    """The rows under a heading, up to the blank line that ends the block."""
    start = rows.index([heading]) + 1
    end = rows.index([], start) if [] in rows[start:] else len(rows)
    return rows[start:end]


def test_daily_summary_as_csv_in_chinese_has_each_section(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)
    with db.session() as session:
        summary = daily_summary(session, SUNDAY, "Asia/Shanghai", clock.now())
    rows = _csv_rows(export.to_csv(tables.daily_sheet(summary, ZH)))

    overview = {item: value for item, value in _section(rows, "概况")[1:]}
    assert overview["日期"] == "2026-11-22" and overview["统计截至"] == "2026-11-22 10:30"
    assert (overview["受理量"], overview["派单数"], overview["超时工单"]) == ("5", "4", "5")
    assert (overview["催办"], overview["满意率"]) == ("1", "50.0%")
    assert ["短信", "1"] in _section(rows, "按渠道受理")
    assert _section(rows, "按渠道受理")[-1] == ["合计", "5"]
    assert _section(rows, "按类别受理")[1] == ["消防通道堵塞", "3"]
    late = _section(rows, "超时工单")
    assert late[0] == ["工单号", "类别", "主办", "超时环节", "时限", "完成时间", "状态"]
    assert [
        orders["drain"],
        "下水道堵塞",
        "水务公司",
        "签收",
        "2026-11-22 08:15",
        "",
        "已派单",
    ] in late
    assert _section(rows, "催办督办")[1][1:] == ["催办", orders["drain"], "居民再次来电"]


def test_daily_summary_as_xlsx_in_english_keeps_rates_as_numbers(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    with db.session() as session:
        summary = daily_summary(session, SUNDAY, "Asia/Shanghai", clock.now())
    book = load_workbook(io.BytesIO(export.to_xlsx(tables.daily_sheet(summary, EN))))
    sheet = book.active
    assert sheet is not None and sheet.title == "Daily summary"
    assert sheet["A1"].value == "Daily summary 2026-11-22"
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert cells["Received"].value == 5
    rate = cells["Satisfaction rate"]
    assert rate.value == 0.5 and rate.number_format == "0.0%"
    assert cells["Intake by channel"].value is None  # a heading row
    assert sheet["A3"].font.bold


def test_community_sheet_names_the_orders_that_gave_no_community(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    period = Period(SUNDAY, SUNDAY, "Asia/Shanghai")
    with db.session() as session:
        rows = community_rates(session, period)

    chinese = _csv_rows(export.to_csv(tables.group_sheet(rows, ZH, period, "community")))
    assert chinese[0][:3] == ["社区", "受理数", "派单数"] and chinese[0][-3:] == [
        "响应率",
        "解决率",
        "满意率",
    ]
    assert chinese[-1] == ["未指明社区", "1", "0", "0", "0", "0", "0", "", "", ""]
    assert ["金地社区", "3", "2", "2", "1", "1", "1", "100.0%", "50.0%", "100.0%"] in chinese

    book = load_workbook(
        io.BytesIO(export.to_xlsx(tables.group_sheet(rows, EN, period, "community")))
    )
    sheet = book.active
    assert sheet is not None and sheet.title == "Rates per community"
    assert sheet["A1"].value == "Period: 2026-11-22 — 2026-11-22"
    assert [c.value for c in sheet[2]][:2] == ["Community", "Received"]
    assert sheet.cell(sheet.max_row, 1).value == "No community given"
