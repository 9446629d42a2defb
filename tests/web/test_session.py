"""A page left open all shift renews its token; a login that no longer stands goes to the login."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Desk, Pages

pytestmark = pytest.mark.browser

PAST_HALF_A_TOKEN = "16:00"  # tokens last 30 minutes; the page renews at half-time


def _stored_token(page: Page) -> str:
    return str(page.evaluate("localStorage.getItem('hotline.token')"))


def test_an_operator_console_left_open_past_its_token_stays_logged_in(
    pages: Pages, desk: Desk
) -> None:
    console = pages.open("operator.li", "/console", via_login_page=True, fake_clock=True)
    first = _stored_token(console)
    time.sleep(1.1)  # a token's times are in whole seconds: the renewed one must differ

    with console.expect_response("**/api/v1/auth/refresh") as renewal:
        console.clock.fast_forward(PAST_HALF_A_TOKEN)
    assert renewal.value.status == 200
    renewed = _stored_token(console)
    assert renewed != first
    me = desk.http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {renewed}"})
    assert me.status_code == 200 and me.json()["username"] == "operator.li"

    # It keeps going: the next renewal comes half a token later again.
    with console.expect_response("**/api/v1/auth/refresh") as again:
        console.clock.fast_forward(PAST_HALF_A_TOKEN)
    assert again.value.status == 200
    expect(console).to_have_url(f"{desk.url}/console")
    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.locator("#f-description").press_sequentially("D区8号楼前电动车堵住了消防通道")
    expect(console.locator("#preview")).to_contain_text("金地物业")


def test_a_board_whose_password_was_reset_goes_to_the_login(pages: Pages, desk: Desk) -> None:
    board = pages.open("supervisor.zhang", "/board", fake_clock=True)
    reset = desk.http.put(
        "/api/v1/users/supervisor.zhang/password",
        json={"new_password": "a-fresh-start"},
        headers=desk.as_user("admin"),
    )
    assert reset.status_code == 204
    board.clock.fast_forward(PAST_HALF_A_TOKEN)
    expect(board).to_have_url(f"{desk.url}/login?next=%2Fboard")


def test_logging_out_of_the_console_ends_the_token_on_the_server(pages: Pages, desk: Desk) -> None:
    console = pages.open("operator.li", "/console", via_login_page=True)
    left_behind = _stored_token(console)
    console.click("#logout")
    expect(console).to_have_url(f"{desk.url}/login")
    deadline = time.monotonic() + 5
    while True:
        me = desk.http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {left_behind}"})
        if me.status_code == 401:
            break
        assert time.monotonic() < deadline, "the logged-out token still works"
        time.sleep(0.05)
    assert "logged out" in me.json()["error"]["message"]
