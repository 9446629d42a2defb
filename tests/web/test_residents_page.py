"""帮扶对象: the desk keeps the register of residents the community looks after, from a page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_languages import assert_only_chinese, assert_only_english

pytestmark = pytest.mark.browser


def _row(page: Page, phone: str) -> Any:
    return page.locator(f"#residents-table tr.resident-row[data-phone='{phone}']")


def _resident(desk: Desk, phone: str) -> dict[str, Any]:
    found: dict[str, Any] = desk.http.get(
        f"/api/v1/residents/{phone}", headers=desk.as_user("operator.li")
    ).json()
    return found


def test_operator_registers_a_widower_and_his_next_call_is_flagged(
    pages: Pages, desk: Desk
) -> None:
    page = pages.open("operator.li", "/residents")
    expect(page.locator("#residents-table tr.resident-row")).to_have_count(4)
    add = page.locator("#add-form")
    add.locator("input[name='phone']").fill("137 0000 3333")
    add.locator("input[name='name']").fill("郑大爷")
    add.locator("select[name='kind']").select_option("elderly_alone")
    add.locator("select[name='community']").select_option("anyi")
    add.locator("select[name='care_team']").select_option("silver-eldercare")
    add.locator("input[name='address']").fill("安怡家园E区1号楼3单元402")
    add.locator("input[name='care_note']").fill("老伴刚去世，情绪低落，多聊几句")
    add.locator("button[type='submit']").click()

    row = _row(page, "+8613700003333")
    expect(row.locator(".community")).to_have_text("安怡社区")
    expect(row.locator(".care-team")).to_have_text("银色关爱服务队")
    expect(page.locator("#resident-count")).to_contain_text("5")
    order = desk.create_order(caller={"name": "郑大爷", "phone": "13700003333"})
    assert "assisted" in order["caller"]["flags"]

    page.fill("#filter-q", "郑")
    expect(page.locator("#residents-table tr.resident-row")).to_have_count(1)
    assert_only_chinese(page)
    screenshot(page, "residents-zh")


def test_a_resident_who_moved_away_is_taken_off_and_found_among_those_taken_off(
    pages: Pages, desk: Desk
) -> None:
    page = pages.open("operator.li", "/residents?lang=en")
    qian = _row(page, "+8613900000002")
    qian.locator("button.edit").click()
    page.locator(".resident-edit input[name='care_note']").fill("搬去儿子家住了")
    page.locator(".resident-edit input[name='active']").uncheck()
    page.locator(".resident-edit button[type='submit']").click()
    expect(qian).to_have_count(0)
    expect(page.locator("#residents-table tr.resident-row")).to_have_count(3)
    assert _resident(desk, "13900000002")["active"] is False

    page.select_option("#filter-active", "false")
    expect(_row(page, "+8613900000002").locator(".care-note")).to_have_text("搬去儿子家住了")
    expect(page.locator("#residents-table tr.resident-row")).to_have_count(1)
    assert_only_english(page)
    screenshot(page, "residents-en")


def test_a_refused_resident_marks_the_field_and_stores_nothing(pages: Pages, desk: Desk) -> None:
    page = pages.open("supervisor.zhang", "/residents")
    add = page.locator("#add-form")
    add.locator("input[name='phone']").fill("12")
    add.locator("input[name='name']").fill("王奶奶")
    add.locator("button[type='submit']").click()
    expect(add.locator("input[name='phone']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#add-error")).to_be_visible()
    expect(add.locator("input[name='name']")).to_have_value("王奶奶")  # nothing typed is lost
    listed = desk.http.get("/api/v1/residents", headers=desk.as_user("operator.li")).json()
    assert listed["count"] == 4


def test_team_leaders_are_sent_to_their_own_page(pages: Pages) -> None:
    page = pages.open("leader.jindi", "/residents")
    page.wait_for_url("**/team")
    assert "/api/v1/residents" not in pages.transcript()  # its script stopped at once
