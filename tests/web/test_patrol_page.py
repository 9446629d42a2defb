"""巡查上报 on the phone page: a grid worker on patrol reports a broken manhole cover with a
photo; the utility centre's phone gets it pushed, the report waits under 我的上报, and when the
centre resolves it the grid worker's page says so, without a reload."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.builders.pictures import camera_jpeg
from tests.web.conftest import PHONE, Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser


def report_form(page: Page, category: str, description: str, compound: str | None = None) -> None:
    """Open 巡查上报 and fill in what was found (and where, if `compound`)."""
    page.locator("#report-open").click()
    page.locator("#r-category").select_option(category)
    if compound:
        page.locator("#r-compound").select_option(compound)
    page.locator("#r-description").fill(description)


def my_reports(desk: Desk) -> dict[str, Any]:
    answer: dict[str, Any] = desk.http.get(
        "/api/v1/patrol-reports", headers=desk.as_user("leader.grid")
    ).json()
    return answer


def test_grid_worker_reports_with_a_photo_and_sees_it_resolved_without_reloading(
    pages: Pages, desk: Desk
) -> None:
    utility = pages.open_live("leader.utility", "/team", viewport=PHONE)
    grid = pages.open_live("leader.grid", "/team", viewport=PHONE)

    grid.locator("#report-open").click()
    form = grid.locator("#report-form")
    form.locator("#r-category").select_option("manhole_cover")
    form.locator("#r-community").select_option("qingshui")
    form.locator("#r-compound").select_option("taihe-road")
    form.locator("#r-text").fill("泰和路小学门口")
    form.locator("#r-description").fill("井盖破损，放学前需处理")
    form.locator("#r-photos").set_input_files(
        files=[{"name": "manhole.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}]
    )
    screenshot(grid, "team-patrol-report-zh")
    form.locator("#report-send").click()

    expect(grid.locator("#alert")).to_contain_text("派往公用事业服务中心")
    expect(grid.locator("#tab-reports")).to_have_class("tab active")
    mine = grid.locator(".order-card")
    expect(mine).to_have_count(1)
    number = mine.first.get_attribute("data-number")
    assert number
    expect(mine.first.locator(".sent-to")).to_have_text("派往 公用事业服务中心")
    expect(grid.locator("#report-card")).to_be_hidden()

    # The centre's phone has it, pushed; the reporter's photo is on the order already.
    card = utility.locator(f".order-card[data-number='{number}']")
    expect(card).to_be_visible()
    expect(card).to_contain_text("上报人 马小兰")  # who saw it, not a caller
    photos = desk.http.get(
        f"/api/v1/orders/{number}/photos", headers=desk.as_user("leader.utility")
    ).json()
    assert len(photos) == 1
    card.locator("button.accept").click()
    expect(card).to_have_attribute("data-state", "accepted")
    resolved = desk.http.post(
        f"/api/v1/orders/{number}/resolve",
        json={"result": "已更换新井盖"},
        headers=desk.as_user("leader.utility"),
    )
    assert resolved.status_code == 200, resolved.text

    expect(grid.locator("#alert")).to_contain_text(f"您上报的 {number} 已办结")
    expect(mine.first).to_have_attribute("data-state", "resolved")
    expect(mine.first).to_contain_text("已更换新井盖")
    assert not_reloaded(grid) and not_reloaded(utility)
    assert_only_chinese(grid)
    screenshot(grid, "team-patrol-mine-zh")


def test_a_report_without_a_place_is_refused_on_the_form_and_nothing_is_sent(
    pages: Pages, desk: Desk
) -> None:
    grid = pages.open("leader.grid", "/team", viewport=PHONE)
    report_form(grid, "manhole_cover", "井盖破损")
    grid.locator("#report-send").click()

    expect(grid.locator("#report-error")).to_contain_text("请选择社区或小区")
    expect(grid.locator("#r-community")).to_have_attribute("aria-invalid", "true")
    expect(grid.locator("#report-card")).to_be_visible()
    assert my_reports(desk)["count"] == 0


def test_grid_worker_records_a_problem_dealt_with_on_the_spot(pages: Pages, desk: Desk) -> None:
    grid = pages.open("leader.grid", "/team", viewport=PHONE)
    report_form(grid, "other", "楼道口堆放杂物堵住通道", compound="yongan-north-lane")
    expect(grid.locator("#r-community")).to_have_value("qingshui")  # the compound's community
    grid.locator("#r-on-site").check()
    grid.locator("#report-send").click()
    expect(grid.locator("#report-error")).to_contain_text("请填写当场处置的结果")

    grid.locator("#r-result").fill("已联系住户清走杂物")
    screenshot(grid, "team-patrol-on-site-zh")
    grid.locator("#report-send").click()

    expect(grid.locator("#alert")).to_contain_text("记为当场处置并办结")
    card = grid.locator(".order-card").first
    expect(card).to_have_attribute("data-state", "closed")
    expect(card).to_contain_text("已联系住户清走杂物")
    assert_only_chinese(grid)


def test_a_report_made_out_of_signal_waits_on_the_phone_and_goes_when_it_is_back(
    pages: Pages, desk: Desk
) -> None:
    grid = pages.open("leader.grid", "/team", viewport=PHONE)
    report_form(grid, "manhole_cover", "地下通道口井盖松动", compound="taihe-road")
    grid.locator("#r-photos").set_input_files(
        files=[{"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}]
    )
    grid.context.set_offline(True)
    grid.locator("#report-send").click()

    expect(grid.locator("#alert")).to_contain_text("暂无信号")
    expect(grid.locator("#report-waiting")).to_have_text("1 条上报待发送，有信号后自动发出")
    expect(grid.locator("#report-card")).to_be_hidden()
    assert my_reports(desk)["count"] == 0
    screenshot(grid, "team-patrol-waiting-zh")

    grid.context.set_offline(False)

    expect(grid.locator("#alert")).to_contain_text("已补发 1 条上报")
    expect(grid.locator("#report-waiting")).to_be_hidden()
    card = grid.locator(".order-card").first
    expect(card).to_contain_text("地下通道口井盖松动")
    number = card.get_attribute("data-number")
    photos = desk.http.get(f"/api/v1/orders/{number}/photos", headers=desk.as_user("leader.grid"))
    assert len(photos.json()) == 1  # the photo waited with it
    assert my_reports(desk)["count"] == 1
    assert_only_chinese(grid)


def test_team_leader_follows_a_members_report_under_team_reports_without_reloading(
    pages: Pages, desk: Desk
) -> None:
    boss = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    member = pages.open("member.jindi", "/team", viewport=PHONE)
    expect(member.locator("#tab-team-reports")).to_be_hidden()  # the leader's alone

    boss.locator("#tab-team-reports").click()
    expect(boss.locator("#team-empty")).to_have_text("队员还没有上报")
    number = desk.http.post(
        "/api/v1/patrol-reports",
        json={
            "category": "manhole_cover",
            "address": {"compound": "taihe-road", "text": "泰和路小学门口"},
            "description": "井盖破损，放学前需处理",
        },
        headers=desk.as_user("member.jindi"),
    ).json()["number"]

    card = boss.locator(f".order-card[data-number='{number}']")
    expect(card).to_contain_text("上报人 杨晓东")
    expect(card.locator(".sent-to")).to_have_text("派往 公用事业服务中心")
    accepted = desk.http.post(
        f"/api/v1/orders/{number}/accept", json={}, headers=desk.as_user("leader.utility")
    )
    assert accepted.status_code == 200, accepted.text
    expect(card).to_have_attribute("data-state", "accepted")
    cancelled = desk.http.post(
        f"/api/v1/orders/{number}/cancel",
        json={"reason": "与上午的上报重复"},
        headers=desk.as_user("supervisor.zhang"),
    )
    assert cancelled.status_code == 200, cancelled.text
    expect(card).to_have_attribute("data-state", "cancelled")
    expect(card.locator(".sent-to")).to_have_count(0)  # called off: at no team, nor the desk
    # Not the leader's own report: no "您上报的" banner for him.
    expect(boss.locator("#alert")).not_to_contain_text("您上报的")
    assert not_reloaded(boss)
    assert_only_chinese(boss)
    screenshot(boss, "team-patrol-team-reports-zh")
