"""The operator console: the routing preview follows the typing; triage; the order's timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages

pytestmark = pytest.mark.browser


def test_routing_preview_shows_team_and_rule_while_typing(pages: Pages, desk: Desk) -> None:
    console = pages.open("operator.li", "/console")
    preview = console.locator("#preview")
    expect(preview).to_have_attribute("data-state", "empty")

    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.locator("#f-description").press_sequentially("D区8号楼前电动车堵住了消防通道")
    expect(preview).to_have_text("将派往 金地物业 · 规则 消防通道堵塞派物业")
    # The compound chose its community for the operator.
    expect(console.locator("#f-community")).to_have_value("jindi")

    # Another kind of problem, typed over: the preview follows without a submit.
    console.select_option("#f-category", "drain_blocked")
    console.fill("#f-description", "")
    console.locator("#f-description").press_sequentially("8号楼下水道堵塞，污水外溢")
    expect(preview).to_contain_text("将派往 水务公司")
    expect(preview).to_contain_text("下水道堵塞派水务公司")

    # Previewing creates nothing.
    orders = desk.http.get("/api/v1/orders", headers=desk.as_user("operator.li")).json()
    assert orders["count"] == 0


def test_triage_queue_dispatches_by_hand_and_the_order_page_shows_the_timeline(
    pages: Pages, desk: Desk
) -> None:
    # No rule takes "other" without keywords: the order waits in triage.
    number = desk.create_order(category="other", description="小区门口有一只流浪狗", address={})[
        "number"
    ]
    console = pages.open_live("operator.li", "/console")
    item = console.locator(f"#triage .order-item[data-number='{number}']")
    expect(item).to_be_visible()
    item.locator("select.team-select").select_option("community-office")
    item.get_by_role("button", name="派单").click()
    expect(item).to_have_count(0)

    console.goto(f"/orders/{number}")
    timeline = console.locator("#timeline")
    expect(timeline.locator(".event")).to_have_count(4)
    expect(timeline).to_contain_text("转待分派")
    expect(timeline.locator(".event").last).to_contain_text("派单")
    expect(console.locator("#order-facts")).to_contain_text("已派单")


def test_typing_an_assisted_residents_number_shows_how_to_speak_to_her(
    pages: Pages, desk: Desk
) -> None:
    console = pages.open("operator.li", "/console")
    note = console.locator("#caller-assisted")
    console.locator("#f-caller-phone").press_sequentially("139 0000 0001")
    expect(note).to_contain_text("帮扶对象 · 独居老人 周奶奶")
    expect(note).to_contain_text("耳背，请靠近说话")
    expect(console.locator("#f-caller-name")).to_have_value("周奶奶")  # filled for her
    expect(console.locator("#f-community")).to_have_value("jindi")

    console.fill("#f-caller-phone", "")
    console.locator("#f-caller-phone").press_sequentially("13812345678")  # not on the register
    expect(note).to_be_hidden()


def test_typing_a_callers_number_shows_what_they_called_about_before(
    pages: Pages, desk: Desk
) -> None:
    earlier = desk.create_order()["number"]
    newest = desk.create_order(category="noise", description="楼上装修太吵")["number"]
    console = pages.open("operator.li", "/console")
    history = console.locator("#caller-history")

    console.locator("#f-caller-phone").press_sequentially("138-1234-5678")

    expect(history).to_contain_text("此号码以往来电 2 次 · 2 张仍在办理")
    expect(history.locator("li")).to_have_count(2)
    expect(history.locator("li").first).to_have_attribute("data-number", newest)  # newest
    expect(history.locator(f"li[data-number='{earlier}'] a")).to_have_attribute(
        "href", f"/orders/{earlier}"
    )
    console.fill("#f-caller-phone", "")
    console.locator("#f-caller-phone").press_sequentially("13900002222")  # never called
    expect(history).to_be_hidden()


def test_operator_takes_two_calls_without_leaving_the_keyboard(pages: Pages, desk: Desk) -> None:
    console = pages.open("operator.li", "/console")
    console.keyboard.press("Alt+n")
    expect(console.locator("#f-caller-phone")).to_be_focused()
    console.keyboard.type("13812345678")
    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.locator("#f-description").fill("D区8号楼前电动车堵住了消防通道")
    console.locator("#f-description").press("Control+Enter")
    expect(console.locator("#created")).to_contain_text("已派往 金地物业")
    # Ready for the next caller's number at once.
    expect(console.locator("#f-caller-phone")).to_be_focused()
    expect(console.locator("#f-caller-phone")).to_have_value("")

    console.locator("body").click()  # out of the form: "/" is the search, not a character
    console.keyboard.press("/")
    expect(console.locator("#search-q")).to_be_focused()
    expect(console.locator("#search-q")).to_have_value("")
    orders = desk.http.get("/api/v1/orders", headers=desk.as_user("operator.li")).json()
    assert orders["count"] == 1
