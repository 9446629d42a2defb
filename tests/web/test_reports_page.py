"""报表 and 日报 in the browser, in both languages; the board's panel of the 12345 outbox."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Route, expect
from sqlmodel import select

from dispatch.orders.models import WorkOrder
from hotline.outbox.models import OutboxMessage, OutboxStatus
from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_languages import _seed_board, assert_only_chinese, assert_only_english

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supervisor_reads_rates_by_category_and_community_and_the_daily_summary(
    pages: Pages, desk: Desk, lang: str
) -> None:
    late = _seed_board(desk)  # five orders today, one late, one urged
    english = lang == "en"
    page = pages.open_live("supervisor.zhang", "/board" + ("?lang=en" if english else ""))
    page.click("#reports-link")  # the board leads to the reports
    page.wait_for_selector("#live-status[data-state='online']")

    rates = page.locator("#rates-table")
    expect(rates.locator("tr[data-key='jindi-property']")).to_have_count(1)
    page.click("#dimension-tabs [data-dimension='categories']")
    expect(rates).to_have_attribute("data-dimension", "categories")
    fire_lane = rates.locator("tr[data-key='fire_lane'] td")
    expect(fire_lane.first).to_have_text("Fire lane blocked" if english else "消防通道堵塞")
    expect(fire_lane.nth(1)).to_have_text("2")  # received
    page.click("#dimension-tabs [data-dimension='communities']")
    unplaced = rates.locator("tr[data-key=''] td").first
    expect(unplaced).to_have_text("No community given" if english else "未指明社区")

    daily = page.locator("#daily-section")
    expect(daily.locator(".tile[data-kind='received'] .n")).to_have_text("5")
    expect(daily.locator(".tile[data-kind='urged'] .n")).to_have_text("1")
    expect(daily.locator(f"#late-table tr.late[data-number='{late}']")).to_have_count(1)
    expect(daily.locator("#channel-chart canvas")).to_have_count(1)
    expect(daily.locator("#daily-escalations .feed-item")).to_have_count(1)
    (assert_only_english if english else assert_only_chinese)(page)
    screenshot(page, f"reports-{lang}")

    with page.expect_download() as download:
        page.click("#daily-xlsx")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.active is not None
    title = str(workbook.active["A1"].value)
    assert title.startswith("Daily summary" if english else "日报")


def _outbox(desk: Desk) -> int:
    """Feedback to 12345: one waiting, one delivered, two that failed for good."""
    now = datetime.now(UTC)
    later = now + timedelta(days=1)  # the worker leaves these alone during the test
    with desk.db.session(write=True) as session:
        order = session.exec(select(WorkOrder)).first()
        assert order is not None and order.id is not None

        def message(status: OutboxStatus, error: str | None = None) -> OutboxMessage:
            row = OutboxMessage(
                destination="12345",
                kind="resolved",
                order_id=order.id,
                payload={"order_number": order.number},
                status=status,
                attempts=10 if error else 0,
                next_attempt_at=later,
                last_error=error,
                created_at=now,
                delivered_at=now if status == OutboxStatus.delivered else None,
            )
            session.add(row)
            return row

        message(OutboxStatus.pending)
        message(OutboxStatus.delivered)
        message(OutboxStatus.failed, "HTTP 503: upstream busy")
        failed = message(OutboxStatus.failed, "ConnectTimeout: timed out")
        session.flush()
        assert failed.id is not None
        return failed.id


def test_board_shows_the_12345_outbox_and_a_supervisor_retries_a_failure(
    pages: Pages, desk: Desk
) -> None:
    desk.create_order()
    failed = _outbox(desk)
    board = pages.open_live("supervisor.zhang", "/board")

    card = board.locator("#outbox-card")
    expect(card).to_be_visible()
    expect(card.locator(".tile[data-state='pending'] .n")).to_have_text("1")
    expect(card.locator(".tile[data-state='delivered'] .n")).to_have_text("1")
    expect(card.locator(".tile.late[data-state='failed'] .n")).to_have_text("2")
    expect(card.locator(".outbox-failure")).to_have_count(2)
    expect(card.locator(f".outbox-failure[data-id='{failed}']")).to_contain_text("ConnectTimeout")
    screenshot(board, "board-outbox-zh")

    card.locator(f".outbox-failure[data-id='{failed}'] button.retry").click()
    expect(card.locator(".tile[data-state='failed'] .n")).to_have_text("1")
    expect(card.locator(".tile[data-state='pending'] .n")).to_have_text("2")
    expect(card.locator(".outbox-failure")).to_have_count(1)


def test_board_hides_the_outbox_panel_when_the_hotline_is_not_installed(
    pages: Pages, desk: Desk
) -> None:
    desk.create_order()
    board = pages.open("supervisor.zhang", "/board")

    def absent(route: Route) -> None:
        body = '{"error": {"code": "not_found", "message": "Not Found"}}'
        route.fulfill(status=404, content_type="application/json", body=body)

    board.route("**/api/v1/outbox?*", absent)
    # The first load's own outbox answer (200) may still be on its way: wait for a 404.
    with board.expect_response(lambda r: "/api/v1/outbox?" in r.url and r.status == 404):
        board.reload()
    expect(board.locator(".tile[data-status='dispatched'] .n")).to_have_text("1")
    expect(board.locator("#outbox-card")).to_be_hidden()
    expect(board.locator("#alert")).to_be_hidden()  # no error shown for a missing panel


def test_supervisor_sees_what_each_person_at_the_desk_did_and_downloads_it(
    pages: Pages, desk: Desk
) -> None:
    question = {"category": "other", "description": "想问小区停水什么时候恢复", "address": {}}
    desk.create_order()  # operator.li takes three calls, answers one in the call
    desk.create_order(**question, answered_at_desk="已告知居民停水将于今晚八点前恢复")
    stray = desk.create_order(category="other", description="小区门口有一只流浪狗", address={})
    dispatched = desk.http.post(
        f"/api/v1/orders/{stray['number']}/dispatch",
        json={"lead_team": "jindi-property"},
        headers=desk.as_user("operator.wang"),
    )
    assert dispatched.status_code == 200, dispatched.text

    page = pages.open("supervisor.zhang", "/reports")
    section = page.locator("#operator-section")
    li = section.locator("tr.operator[data-operator='operator.li']")
    expect(li).to_contain_text("李话务")
    expect(li.locator("td[data-count='received']")).to_have_text("3")
    expect(li.locator("td[data-count='answered_at_desk']")).to_have_text("1")
    wang = section.locator("tr.operator[data-operator='operator.wang']")
    expect(wang.locator("td[data-count='dispatched']")).to_have_text("1")
    expect(section.locator("tbody tr.operator").first).to_have_attribute(
        "data-operator", "operator.li"
    )
    expect(section.locator("tfoot tr.total td").first).to_have_text("合计")
    assert_only_chinese(page)
    screenshot(page, "operator-report")

    with page.expect_download() as download:
        page.click("#operator-csv")
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("姓名,账号,岗位,受理,直接答复")
