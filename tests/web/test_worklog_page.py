"""民情日志 in the browser: the supervisor chooses a community on the reports page, reads its
calls as they come in, and downloads the log to print for the community's files."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser


def test_supervisor_reads_a_communitys_work_log_as_calls_come_in_and_prints_it(
    pages: Pages, desk: Desk
) -> None:
    first = desk.create_order()["number"]
    desk.create_order(
        category="drain_blocked",
        description="永安北巷下水道堵塞",
        address={"compound": "yongan-north-lane"},
    )
    page = pages.open_live("supervisor.zhang", "/reports")
    section = page.locator("#worklog-section")
    section.locator("#worklog-community").select_option("jindi")
    section.locator("#worklog-form button[type=submit]").click()

    entries = section.locator("tr.worklog-entry")
    expect(entries).to_have_count(1)  # the drain is 清水社区's business
    row = section.locator(f"tr.worklog-entry[data-number='{first}']")
    expect(row.locator("td.caller")).to_have_text("陈女士 138****5678")
    expect(row.locator("td.teams")).to_have_text("金地物业")
    expect(row.locator("td.status")).to_have_text("已派单")

    newest = desk.create_order(caller={"name": "王先生", "phone": "13900001111"})["number"]

    expect(entries).to_have_count(2, timeout=6000)
    expect(entries.last).to_have_attribute("data-number", newest)
    assert not_reloaded(page)
    assert_only_chinese(page)
    screenshot(page, "worklog")

    with page.expect_download() as download:
        section.locator("#worklog-xlsx").click()
    assert "worklog-jindi-" in download.value.suggested_filename
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None and sheet.title == "民情日志"
    numbers = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert numbers == [first, newest]
