"""The desk moves as it moves: pushed to the team leader's phone and the supervisor's board."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import APIResponse, Page, Route, expect
from sqlmodel import select

from dispatch.orders.models import WorkOrder
from tests.web.conftest import PHONE, Desk, Pages, not_reloaded, screenshot

pytestmark = pytest.mark.browser


def test_operator_creates_order_and_team_leader_page_shows_it_without_reload(
    pages: Pages,
) -> None:
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE, via_login_page=True)
    expect(leader.locator("#team-empty")).to_be_visible()
    console = pages.open_live("operator.li", "/console", via_login_page=True)

    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.fill("#f-building", "D区8号楼")
    console.fill("#f-caller-name", "陈女士")
    console.fill("#f-caller-phone", "13812345678")
    console.fill("#f-description", "金地花园D区8号楼前电动车堵住了消防通道")
    with console.expect_response(
        lambda r: r.url.endswith("/api/v1/orders") and r.request.method == "POST"
    ) as created:
        console.click("#submit-order")
    assert created.value.status == 201
    number = created.value.json()["number"]
    started = time.monotonic()

    card = leader.locator(f".order-card[data-number='{number}']")
    expect(card).to_be_visible(timeout=2000)
    arrived = time.monotonic() - started
    assert arrived < 2.0, f"the assignment took {arrived:.2f} s to reach the leader's page"
    expect(leader.locator("#alert")).to_contain_text(number)
    expect(card.locator("button.accept")).to_be_visible()
    expect(card.locator(".due")).to_contain_text("剩余")
    assert not_reloaded(leader)
    screenshot(leader, "team-pushed-zh")
    # The operator sees the number and where it went.
    expect(console.locator("#created")).to_contain_text(number)
    expect(console.locator("#created")).to_contain_text("金地物业")


def test_accepting_on_team_page_updates_supervisor_board_without_reload(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    board = pages.open_live("supervisor.zhang", "/board")
    expect(board.locator(".tile[data-status='dispatched'] .n")).to_have_text("1")
    expect(board.locator(".tile[data-status='accepted'] .n")).to_have_text("0")
    rates = board.locator("#rates-table tr[data-team='jindi-property']")
    expect(rates.locator("[data-rate='response']")).to_have_text("0.0%")

    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    leader.locator(f".order-card[data-number='{number}'] button.accept").click()
    expect(leader.locator(f".order-card[data-number='{number}']")).to_have_attribute(
        "data-state", "accepted"
    )

    expect(board.locator(".tile[data-status='accepted'] .n")).to_have_text("1", timeout=3000)
    expect(board.locator(".tile[data-status='dispatched'] .n")).to_have_text("0")
    expect(rates.locator("[data-rate='response']")).to_have_text("100.0%", timeout=3000)
    assert not_reloaded(board)


def test_team_leader_returns_notes_and_resolves_from_the_phone_page(
    pages: Pages, desk: Desk
) -> None:
    kept = desk.create_order()["number"]
    returned = desk.create_order(
        description="金地花园B区3号楼楼道灯不亮", category="property_service"
    )["number"]
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)

    card = leader.locator(f".order-card[data-number='{returned}']")
    card.locator("button.danger").click()
    card.locator("select[name=reason_code]").select_option("not_our_duty")
    card.locator("textarea[name=reason]").fill("属于供电公司职责")
    card.locator("form.return-form button").click()
    expect(card).to_have_count(0)

    card = leader.locator(f".order-card[data-number='{kept}']")
    card.locator("button.accept").click()
    expect(card).to_have_attribute("data-state", "accepted")
    card.get_by_role("button", name="进展").click()
    card.locator("textarea[name=text]").fill("已到现场，正在联系车主挪车")
    card.locator("form.note-form button").click()
    card.get_by_role("button", name="办结").click()
    card.locator("textarea[name=result]").fill("电动车已全部挪走，消防通道畅通")
    card.locator("form.resolve-form button").click()
    expect(card).to_have_count(0)

    timeline = desk.http.get(
        f"/api/v1/orders/{kept}/timeline", headers=desk.as_user("supervisor.zhang")
    ).json()["data"]
    kinds = [e["kind"] for e in timeline]
    assert kinds[-3:] == ["accepted", "note_added", "resolved"]
    back = desk.http.get(f"/api/v1/orders/{returned}", headers=desk.as_user("operator.li"))
    assert back.json()["status"] == "triage"


def test_a_push_redraw_leaves_the_card_the_leader_is_tapping_in_place(
    pages: Pages, desk: Desk
) -> None:
    """A card taken out and put back between press and release loses the tap: never move it."""
    first = desk.create_order()["number"]
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    expect(leader.locator(f".order-card[data-number='{first}']")).to_have_count(1)
    with nothing_taken_out(leader, "#team-orders"):
        second = desk.create_order(description="金地花园C区2号楼消防通道堆放杂物")["number"]
        expect(leader.locator(f".order-card[data-number='{second}']")).to_have_count(1)


def test_a_push_leaves_the_late_row_the_supervisor_is_clicking_in_place(
    pages: Pages, desk: Desk
) -> None:
    late = desk.create_order()["number"]
    with desk.db.session(write=True) as session:
        order = session.exec(select(WorkOrder).where(WorkOrder.number == late)).one()
        order.accept_due_at = datetime.now(UTC) - timedelta(seconds=30)
    board = pages.open_live("supervisor.zhang", "/board")
    expect(board.locator(f"#due-table tr.late[data-number='{late}']")).to_have_count(1)
    with nothing_taken_out(board, "#due-table tbody"):
        desk.create_order(description="金地花园C区2号楼消防通道堆放杂物")
        expect(board.locator(".tile[data-status='dispatched'] .n")).to_have_text("2")


def test_team_page_does_not_bring_back_an_order_from_an_answer_that_came_late(
    pages: Pages, desk: Desk
) -> None:
    """Two refreshes in flight: the older answer arriving last must not redraw the old list."""
    number = desk.create_order()["number"]
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    card = leader.locator(f".order-card[data-number='{number}']")
    expect(card).to_have_count(1)

    held: list[tuple[Route, APIResponse]] = []

    def hold_first_list(route: Route) -> None:
        if held:
            route.continue_()
            return
        held.append((route, route.fetch()))  # the list as it is now, still with the order

    leader.route("**/api/v1/orders?limit=100*", hold_first_list)
    leader.locator("#tab-open").click()  # a refresh whose answer we hold back
    for _ in range(60):  # route handlers run while Playwright waits
        if held:
            break
        leader.wait_for_timeout(50)
    assert held, "the refresh did not ask for the list"

    returned = desk.http.post(
        f"/api/v1/orders/{number}/return",
        json={"reason_code": "not_our_duty", "reason": "属于供电公司职责"},
        headers=desk.as_user("leader.jindi"),
    )
    assert returned.status_code == 200, returned.text
    expect(card).to_have_count(0)  # the push's refresh, answered at once

    route, stale = held[0]
    with leader.expect_response(lambda r: r.request == route.request):
        route.fulfill(response=stale)
    leader.wait_for_timeout(300)
    expect(card).to_have_count(0)


def test_team_page_that_lost_its_connection_gets_what_it_missed_with_the_alert(
    pages: Pages, desk: Desk
) -> None:
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    leader.evaluate("window.Desk.live.pause()")
    expect(leader.locator("#live-status")).to_have_attribute("data-state", "offline")
    # The refresh the socket's `ready` set off (150 ms later) lands first: an order made
    # before it would be on the page without any push.
    leader.wait_for_timeout(600)
    number = desk.create_order()["number"]  # pushed while the phone was in a tunnel
    leader.wait_for_timeout(300)
    expect(leader.locator(f".order-card[data-number='{number}']")).to_have_count(0)

    leader.evaluate("window.Desk.live.resume()")
    # Replayed from the last event id: the alert needs the pushed event, not just a refresh.
    expect(leader.locator("#alert")).to_contain_text(number)
    expect(leader.locator(f".order-card[data-number='{number}']")).to_have_class(
        re.compile(r"\bnew\b")
    )
    assert not_reloaded(leader)


@contextmanager
def nothing_taken_out(page: Page, selector: str) -> Iterator[None]:
    """No child of the element is taken out while the block runs (nor by a refresh it set off)."""
    page.evaluate(
        """(selector) => {
          window.__removed = [];
          new MutationObserver((changes) => changes.forEach((c) => c.removedNodes.forEach(
            (n) => window.__removed.push(n.dataset && n.dataset.number)))
          ).observe(document.querySelector(selector), { childList: true });
        }""",
        selector,
    )
    yield
    page.wait_for_timeout(300)  # any refresh still in flight lands
    assert page.evaluate("window.__removed") == []
