"""Simplified Chinese by default, English by a switch; never both on one page. Screenshots."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from tests.web.conftest import DESKTOP, PHONE, Desk, Pages, screenshot

DESK_ZONE = ZoneInfo(Settings.model_fields["timezone"].default)  # the pages' desk's

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Names of formats and standards, not words of a language ("Open" is from Open311).
ALLOWED_LATIN = {"CSV", "Excel", "Open"}

# Every label on the page: text outside user data ([data-content]) and outside elements that
# say they are in another language ([lang], like the switch itself), plus placeholders, the
# title and option labels.
LABELS_JS = """
() => {
  const skip = "[data-content], [lang]:not(html), script, style, template";
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  document.querySelectorAll("[placeholder]").forEach((e) => out.push(e.placeholder));
  document.querySelectorAll("template").forEach((t) => {
    t.content.querySelectorAll("option, button, [placeholder]").forEach((e) => {
      out.push(e.getAttribute("placeholder") || e.textContent.trim());
    });
  });
  return out.filter(Boolean);
}
"""


def labels(page: Page) -> list[str]:
    found: list[str] = page.evaluate(LABELS_JS)
    return found


def assert_only_english(page: Page) -> None:
    chinese = [text for text in labels(page) if CJK.search(text)]
    assert not chinese, f"Chinese labels on the English page {page.url}: {chinese}"


def assert_only_chinese(page: Page) -> None:
    english = [
        text
        for text in labels(page)
        if any(w not in ALLOWED_LATIN for w in LATIN_WORD.findall(text))
    ]
    assert not english, f"English labels on the Chinese page {page.url}: {english}"


def _seed_board(desk: Desk) -> str:
    """Orders of several kinds, one late and one nearly late, so the pages have content."""
    first = str(desk.create_order()["number"])
    desk.create_order(
        category="drain_blocked",
        description="永安北巷下水道堵塞，汛期快到了",
        address={"compound": "yongan-north-lane"},
    )
    desk.create_order(
        category="roof_leak",
        description="安怡家园E区1号楼楼顶漏水",
        address={"compound": "anyi-home", "building": "E区1号楼"},
    )
    desk.create_order(category="other", description="小区门口有一只流浪狗", address={})
    leader = desk.as_user("leader.jindi")
    accepted = desk.create_order(description="金地花园B区消防通道被杂物堵塞")["number"]
    desk.http.post(f"/api/v1/orders/{accepted}/accept", headers=leader)
    supervisor = desk.as_user("supervisor.zhang")
    desk.http.post(
        f"/api/v1/orders/{accepted}/urge", json={"reason": "居民再次来电"}, headers=supervisor
    )
    now = datetime.now(UTC)
    # The daily summary lists the deadlines missed today: just after the desk's midnight,
    # "12 minutes ago" would be yesterday's.
    midnight = now.astimezone(DESK_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    with desk.db.session(write=True) as session:
        orders = {o.number: o for o in session.exec(select(WorkOrder)).all()}
        orders[first].accept_due_at = max(
            now - timedelta(minutes=12), midnight + (now - midnight) / 2
        )
        orders[accepted].accepted_at = now - timedelta(hours=2)
        orders[accepted].resolve_due_at = now + timedelta(minutes=20)
    return first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_the_pages(pages: Pages, desk: Desk, lang: str) -> None:
    """Saved to test-artifacts/screenshots/ for people to look at; late shows red, nearly amber."""
    number = _seed_board(desk)
    suffix = "" if lang == "zh" else "?lang=en"
    check = assert_only_chinese if lang == "zh" else assert_only_english

    board = pages.open_live("supervisor.zhang", "/board" + suffix)
    expect(board.locator("#due-table tr.late")).to_have_count(1)
    expect(board.locator("#due-table tr.nearly")).to_have_count(1)
    expect(board.locator("#escalations .feed-item")).to_have_count(1)
    expect(board.locator("#intake-chart canvas")).to_have_count(1)
    check(board)
    screenshot(board, f"board-{lang}")

    console = pages.open_live("operator.li", "/console" + suffix)
    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.fill("#f-building", "D区9号楼")
    console.fill("#f-description", "D区9号楼前电动车堵住消防通道")
    expect(console.locator("#preview")).to_have_attribute("data-state", "ok")
    expect(console.locator("#triage .order-item")).to_have_count(1)
    check(console)
    screenshot(console, f"console-{lang}")

    team = pages.open_live("leader.jindi", "/team" + suffix, viewport=PHONE)
    expect(team.locator(".order-card")).to_have_count(2)
    check(team)
    screenshot(team, f"team-{lang}")

    order = pages.open("supervisor.zhang", f"/orders/{number}" + suffix, viewport=DESKTOP)
    expect(order.locator("#timeline .event")).to_have_count(3)
    check(order)
    screenshot(order, f"order-{lang}")

    users = pages.open("admin", "/users" + suffix)
    users.locator("tr.user-row[data-username='leader.jindi'] button.edit").click()
    expect(users.locator(".user-edit select[name='team_code']")).to_have_value("jindi-property")
    check(users)
    screenshot(users, f"users-{lang}")

    rota = pages.open("admin", "/rota" + suffix)
    expect(rota.locator(".rota-team[data-team='jindi-property'] tr.shift")).to_have_count(2)
    check(rota)
    screenshot(rota, f"rota-{lang}")

    rules = pages.open("supervisor.zhang", "/rules" + suffix)
    expect(rules.locator("#rules-table tr[data-rule='fire-lane-blocked']")).to_be_visible()
    check(rules)
    screenshot(rules, f"rules-{lang}")

    account = pages.open("leader.jindi", "/account" + suffix, viewport=PHONE)
    expect(account.locator("#password-submit")).to_be_visible()
    check(account)
    screenshot(account, f"account-{lang}")


def test_pages_switch_to_english_without_mixed_languages(pages: Pages, desk: Desk) -> None:
    number = desk.create_order()["number"]
    console = pages.open_live("operator.li", "/console")
    assert console.locator("html").get_attribute("lang") == "zh-CN"
    expect(console.locator("#new-order h2")).to_have_text("新建工单")
    assert_only_chinese(console)

    console.click("#lang-switch")
    expect(console.locator("#new-order h2")).to_have_text("New work order")
    assert console.locator("html").get_attribute("lang") == "en"
    console.wait_for_selector("#live-status[data-state='online']")
    console.select_option("#f-category", "fire_lane")
    console.select_option("#f-compound", "jindi-garden")
    console.fill("#f-description", "D区8号楼前电动车堵住了消防通道")
    expect(console.locator("#preview")).to_have_text(
        "Will go to Jindi Property Management · rule fire-lane-blocked"
    )
    assert_only_english(console)

    # The choice is remembered (cookie): other pages open in English without ?lang=.
    for path in (f"/orders/{number}", "/console", "/login"):
        console.goto(path)
        console.wait_for_load_state("networkidle")
        assert console.locator("html").get_attribute("lang") == "en", path
        assert_only_english(console)
    console.goto("/login?lang=zh")
    expect(console.locator("h1")).to_have_text("登录")
    assert_only_chinese(console)
