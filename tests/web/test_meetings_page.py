"""协商会议 in the browser: from a hot spot the supervisor calls the teams to one table with
the orders there already in the form; the property company's leader hears of it on the
phone without reloading; afterwards the supervisor writes down what was agreed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PHONE, Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser


def test_supervisor_calls_a_meeting_from_a_hot_spot_and_the_leader_hears_of_it(
    pages: Pages, desk: Desk
) -> None:
    numbers = [desk.create_order()["number"] for _ in range(3)]
    phone = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    expect(phone.locator("#invitations-card")).to_be_hidden()

    board = pages.open("supervisor.zhang", "/board")
    board.locator("#hotspot-card a.call-meeting").click()
    board.wait_for_url(f"**/orders/{numbers[-1]}?meeting=*")
    form = board.locator("#meeting-slot form.meeting-call")
    expect(form.locator("input[name=also_orders]")).to_have_value(f"{numbers[1]},{numbers[0]}")
    expect(form.locator("input[name=team][value='jindi-property']")).to_be_checked()
    form.locator("input[name=team][value='community-police']").check()
    form.locator("input[name=topic]").fill("金地花园D区消防通道反复堵塞")
    form.locator("button[type=submit]").click()

    meeting = board.locator("#meetings li.meeting[data-status='planned']")
    expect(meeting).to_have_count(1)
    expect(meeting).to_contain_text("金地花园D区消防通道反复堵塞")
    expect(board.locator("#timeline li.kind-meeting_called")).to_have_count(1)
    assert_only_chinese(board)

    invitation = phone.locator("#invitations li.meeting")
    expect(invitation).to_have_count(1, timeout=5000)
    expect(invitation).to_contain_text("金地花园D区消防通道反复堵塞")
    expect(phone.locator("#alert")).to_contain_text("协商会议通知")
    assert not_reloaded(phone)
    screenshot(phone, "meeting-invitation-phone")

    meeting.locator("button.record").click()
    outcome = board.locator("#meeting-slot form.meeting-outcome")
    outcome.locator("textarea[name=outcome]").fill("物业划定电动车停放区，社区民警每周巡查两次")
    outcome.locator("input[name=team][value='community-police']").uncheck()
    outcome.locator("button[type=submit]").click()
    held = board.locator("#meetings li.meeting[data-status='held']")
    expect(held).to_contain_text("物业划定电动车停放区")
    expect(board.locator("#timeline li.kind-meeting_held")).to_have_count(1)
    screenshot(board, "meeting-held")
    expect(invitation).to_have_count(0, timeout=5000)  # held: no longer an invitation


def test_an_operator_reads_the_meetings_of_an_order_but_calls_none(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    page = pages.open("operator.li", f"/orders/{number}")
    expect(page.locator("#timeline li.kind-dispatched")).to_have_count(1)
    expect(page.locator("#meetings-card")).to_be_hidden()
    expect(page.locator("#meeting-call")).to_be_hidden()


def test_the_board_lists_the_meetings_ahead_and_drops_one_called_off(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    boss = desk.as_user("supervisor.zhang")
    board = pages.open_live("supervisor.zhang", "/board")
    expect(board.locator("#meetings-card")).to_be_hidden()

    called = desk.http.post(
        f"/api/v1/orders/{number}/meetings",
        headers=boss,
        json={
            "topic": "银啤苑南区14号楼房产证问题协商",
            "starts_at": "2026-12-31T09:30:00+08:00",
            "place": "街道便民服务中心",
            "teams": ["yinpi-property", "housing-authority"],
        },
    )
    assert called.status_code == 201, called.text
    listed = board.locator("#board-meetings li.meeting")
    expect(listed).to_have_count(1, timeout=5000)
    expect(listed).to_contain_text("银啤苑南区14号楼房产证问题协商")
    expect(listed.locator("a")).to_have_text(number)

    meeting_id = called.json()["id"]
    desk.http.post(f"/api/v1/meetings/{meeting_id}/cancel", headers=boss, json={"reason": "改期"})
    expect(board.locator("#meetings-card")).to_be_hidden(timeout=5000)
    assert not_reloaded(board)


def test_supervisor_moves_a_meeting_on_the_order_page_and_the_timeline_shows_it(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    called = desk.http.post(
        f"/api/v1/orders/{number}/meetings",
        headers=desk.as_user("supervisor.zhang"),
        json={
            "topic": "金地花园D区消防通道反复堵塞",
            "starts_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
            "place": "街道综治中心二楼会议室",
            "teams": ["jindi-property", "community-police"],
        },
    )
    assert called.status_code == 201, called.text
    phone = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    expect(phone.locator("#invitations li.meeting")).to_contain_text("街道综治中心二楼会议室")
    page = pages.open("supervisor.zhang", f"/orders/{number}")

    meeting = page.locator("#meetings li.meeting[data-status='planned']")
    meeting.locator("button.move").click()
    form = page.locator("#meeting-slot form.meeting-move")
    expect(form.locator("input[name=place]")).to_have_value("街道综治中心二楼会议室")
    later = datetime.now() + timedelta(days=3)  # the browser's local time, as the form's
    form.locator("input[name=starts_at]").fill(later.strftime("%Y-%m-%dT15:00"))
    form.locator("input[name=place]").fill("金地花园物业服务中心")
    form.locator("textarea[name=reason]").fill("物业公司负责人当天出差")
    form.locator("button[type=submit]").click()

    moved = page.locator("#timeline li.kind-meeting_moved")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("协商会议改期")
    expect(moved).to_contain_text("物业公司负责人当天出差")
    expect(moved).to_contain_text("原定地点")
    expect(meeting).to_contain_text("金地花园物业服务中心")
    expect(page.locator("#meeting-slot form")).to_have_count(0)
    assert_only_chinese(page)
    screenshot(page, "meeting-moved")

    invitation = phone.locator("#invitations li.meeting")
    expect(invitation).to_contain_text("金地花园物业服务中心", timeout=5000)
    expect(phone.locator("#alert")).to_contain_text("协商会议改期")
    assert not_reloaded(phone)
