"""派给队员 on the phone page: the leader hands an order to a member, and the member's page, open
in the member's pocket, shows it first, marked 交给我办理, with the sound, without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser

# Counts the sounds the page plays (the chime of a pushed assignment).
COUNT_SOUNDS = """
() => {
  window.__sounds = 0;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { window.__sounds += 1; return play.call(this); };
}
"""


def sounds(page: Page) -> int:
    return int(page.evaluate("window.__sounds"))


def test_leader_hands_an_order_over_and_the_members_page_shows_it_first_without_reloading(
    pages: Pages, desk: Desk
) -> None:
    leader_api = desk.as_user("leader.jindi")
    numbers = [
        desk.create_order()["number"],
        desk.create_order(description="金地花园B区3号楼楼道灯不亮", category="property_service")[
            "number"
        ],
    ]
    due = {}
    for number in numbers:
        accepted = desk.http.post(f"/api/v1/orders/{number}/accept", headers=leader_api)
        assert accepted.status_code == 200, accepted.text
        due[number] = accepted.json()["resolve_due_at"]
    # The one a member would otherwise see last: handed over, it comes first.
    handed = max(numbers, key=lambda n: (due[n] or "", n))
    member = pages.open_live("member.jindi", "/team", viewport=PHONE)
    expect(member.locator(".order-card")).to_have_count(2)
    expect(member.locator(".order-card").first).not_to_have_attribute("data-number", handed)
    member.evaluate(COUNT_SOUNDS)
    leader = pages.open_live("leader.jindi", "/team", viewport=PHONE)

    card = leader.locator(f".order-card[data-number='{handed}']")
    card.locator("button.hand-over").click()
    form = card.locator("form.hand-over-form")
    form.locator("select[name=member]").select_option("member.jindi")
    form.locator("textarea[name=note]").fill("先去现场看看，拍照发群里")
    screenshot(leader, "team-hand-over-zh")
    form.locator("button[type=submit]").click()

    expect(card.locator(".handler")).to_have_text("承办人 杨晓东")
    expect(card.locator("form.hand-over-form")).to_have_count(0)
    mine = member.locator(f".order-card[data-number='{handed}']")
    expect(mine.locator(".handed-to-me")).to_have_text("交给我办理")
    expect(mine).to_have_class(re.compile(r"\bmine\b"))
    expect(member.locator(".order-card").first).to_have_attribute("data-number", handed)
    expect(member.locator("#alert")).to_contain_text(handed)
    member.wait_for_function("window.__sounds > 0")
    assert sounds(member) == 1
    assert not_reloaded(member) and not_reloaded(leader)
    assert_only_chinese(member)
    assert_only_chinese(leader)
    screenshot(member, "team-handed-to-me-zh")

    # The order page's timeline says who it went to.
    page = pages.open("supervisor.zhang", f"/orders/{handed}")
    event = page.locator("#timeline .event.kind-handed_over")
    expect(event).to_contain_text("派给队员")
    expect(event).to_contain_text("交给 杨晓东 办理")
    assert_only_chinese(page)
