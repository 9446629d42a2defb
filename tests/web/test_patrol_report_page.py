"""巡查上报统计 on the reports page: the supervisor sees each field worker's reports and how
many they dealt with on the spot, and the table moves as a new report comes in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.patrol.test_patrol_reports import MANHOLE
from tests.web.conftest import Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser


def test_supervisor_sees_the_field_workers_reports_grow_without_reloading(
    pages: Pages, desk: Desk
) -> None:
    grid = desk.as_user("leader.grid")

    def report(**more: str) -> None:
        sent = desk.http.post("/api/v1/patrol-reports", json={**MANHOLE, **more}, headers=grid)
        assert sent.status_code == 201, sent.text

    report()
    report(category="other", description="楼道杂物", handled_on_site="已清走")
    page = pages.open_live("supervisor.zhang", "/reports")
    section = page.locator("#patrol-section")
    row = section.locator("tr.reporter[data-reporter='leader.grid']")
    expect(row).to_contain_text("马小兰")
    expect(row).to_contain_text("清水社区网格员")
    expect(row.locator("td.num").nth(0)).to_have_text("2")
    expect(row.locator("td.num").nth(1)).to_have_text("1")
    expect(row.locator("td.rate")).to_have_text("50.0%")
    expect(section.locator("tfoot tr.total")).to_contain_text("合计")

    report()

    expect(row.locator("td.num").nth(0)).to_have_text("3", timeout=6000)
    expect(row.locator("td.rate")).to_have_text("33.3%")
    assert not_reloaded(page)
    assert_only_chinese(page)
    screenshot(page, "patrol-report")
