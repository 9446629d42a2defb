"""交接班 on the console: the night operator writes what the next shift must know, and the
morning operator opens the console, reads it with the orders it concerns, and takes it over."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser

NOTE = "金地花园D区消防通道的事下午要回电话给陈女士"


def test_the_night_operator_hands_over_and_the_morning_operator_takes_it_over(
    pages: Pages, desk: Desk
) -> None:
    stray = desk.create_order(category="other", description="小区门口有一只流浪狗", address={})
    night = pages.open("operator.li", "/console")
    attached = night.locator("#handover-attached li[data-queue='triage']")
    expect(attached).to_contain_text(stray["number"])  # shown before sending
    platforms = night.locator("#handover-attached li[data-queue='undelivered_to_platforms']")
    expect(platforms).to_contain_text("12345/110 未送达")  # the hotline's queue, after the desk's
    night.locator("#handover-note").fill(NOTE)
    night.locator("#handover-submit").click()
    current = night.locator("#handover-current")
    expect(current).to_contain_text(NOTE)
    expect(current.locator("#handover-receive")).to_have_count(0)  # not one's own
    expect(night.locator("#handover-history > li")).to_have_count(1)
    assert_only_chinese(night)

    morning = pages.open("operator.wang", "/console")
    current = morning.locator("#handover-current")
    expect(current).to_contain_text(NOTE)
    expect(current).to_contain_text("李话务")  # who wrote it
    link = current.locator(f"li[data-queue='triage'] a[href='/orders/{stray['number']}']")
    expect(link).to_be_visible()
    assert_only_chinese(morning)
    morning.locator("#handover-receive").click()
    expect(current.locator("#handover-received")).to_contain_text("王接线 已于")
    expect(current).to_have_attribute("data-state", "received")
    expect(current.locator("#handover-receive")).to_have_count(0)
    screenshot(morning, "console-handover")

    history = morning.locator("#handover-history > li details")
    history.locator("summary").click()
    expect(history).to_contain_text(NOTE)
