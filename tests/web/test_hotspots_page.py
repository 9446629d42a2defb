"""高发点位 in the browser: the board shows where problems keep coming back, and grows as the
calls come in; the reports page lists them all, with a threshold, and exports them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese, assert_only_english

pytestmark = pytest.mark.browser

FIRE_LANE_AT_JINDI = "tr.hotspot[data-spot='jindi/jindi-garden/fire_lane']"


def test_supervisor_sees_a_hot_spot_grow_on_the_board_without_reloading(
    pages: Pages, desk: Desk
) -> None:
    for building in ("D区8号楼", "D区9号楼", "D区8号楼"):
        desk.create_order(address={"compound": "jindi-garden", "building": building})
    board = pages.open_live("supervisor.zhang", "/board")
    spot = board.locator(f"#hotspot-card {FIRE_LANE_AT_JINDI}")
    expect(spot.locator("td").first).to_have_text("金地社区 · 金地花园")
    expect(spot.locator("td.calls")).to_have_text("3")
    orders = spot.locator("td a:not(.call-meeting)")
    expect(orders).to_have_count(3)  # the orders, each a link

    newest = desk.create_order()["number"]  # a fourth resident calls

    expect(spot.locator("td.calls")).to_have_text("4", timeout=6000)
    expect(orders.first).to_have_text(newest)
    assert not_reloaded(board)
    assert_only_chinese(board)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supervisor_lists_hot_spots_over_a_threshold_and_downloads_them(
    pages: Pages, desk: Desk, lang: str
) -> None:
    english = lang == "en"
    for _ in range(3):
        desk.create_order()
    noise = {"category": "noise", "description": "夜里广场舞音响太响"}
    desk.create_order(**noise, address={"community": "jindi"})
    page = pages.open("supervisor.zhang", "/reports" + ("?lang=en" if english else ""))
    section = page.locator("#hotspot-section")
    spot = section.locator(FIRE_LANE_AT_JINDI)
    category = spot.locator("td").nth(1)
    expect(category).to_have_text("Fire lane blocked" if english else "消防通道堵塞")
    expect(spot.locator("td.calls")).to_have_text("3")
    expect(spot.locator("td").nth(4)).to_have_text("D区8号楼")
    expect(section.locator("tr.hotspot")).to_have_count(1)  # one noise call is no hot spot
    expect(section.locator("#hotspot-from")).not_to_have_value("")
    (assert_only_english if english else assert_only_chinese)(page)
    screenshot(page, f"hotspots-{lang}")

    with page.expect_download() as download:
        section.locator("#hotspot-xlsx").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.active is not None
    assert workbook.active.title == ("Hot spots" if english else "高发点位")
    assert str(workbook.active["A1"].value).startswith("Period" if english else "统计期间")

    section.locator("#hotspot-min").fill("4")
    section.locator("#hotspot-form button[type=submit]").click()
    expect(section.locator("tr.hotspot")).to_have_count(0)
    expect(section.locator("#hotspot-empty")).to_be_visible()
