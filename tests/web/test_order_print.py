"""打印: an order printed for the community's files, or for a team that works from paper,
shows what happened, not the buttons."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_order_actions import resolved_by_jindi

pytestmark = pytest.mark.browser


def test_a_printed_order_keeps_its_facts_and_timeline_and_drops_the_buttons(
    pages: Pages, desk: Desk
) -> None:
    number = resolved_by_jindi(desk)
    page = pages.open("operator.li", f"/orders/{number}")
    expect(page.locator("#timeline li")).not_to_have_count(0)
    expect(page.locator("#actions-card")).to_be_visible()
    expect(page.locator("#order-print")).to_have_text("打印")
    assert "陈女士 +8613812345678" in page.locator("#order-facts").inner_text()

    page.emulate_media(media="print")

    expect(page.locator("#order-facts")).to_contain_text("金地物业")
    # Paper leaves the desk: the caller's number masked, as the 民情日志 report prints it.
    printed = page.locator("#order-facts").inner_text()  # what is laid out, not all text
    assert "陈女士 138****5678" in printed and "13812345678" not in printed
    expect(page.locator("#timeline")).to_contain_text("已联系车主挪走电动车")
    for gone in (".topbar", "#actions-card", "#order-print"):
        expect(page.locator(gone)).to_be_hidden()
    screenshot(page, "order-printed")
