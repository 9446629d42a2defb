"""派单规则: a supervisor reads why orders go where; the admin reloads a corrected file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dispatch.settings import Settings
from tests.web.conftest import Desk, Pages

pytestmark = pytest.mark.browser


def test_a_supervisor_reads_the_rules_in_the_order_they_are_tried(pages: Pages) -> None:
    rules = pages.open("supervisor.zhang", "/rules")
    fire_lane = rules.locator("#rules-table tr[data-rule='fire-lane-blocked']")
    expect(fire_lane).to_contain_text("消防通道堵塞派物业")
    expect(fire_lane.locator(".rule-part[data-key='category']")).to_contain_text("消防通道堵塞")
    expect(fire_lane.locator(".rule-part[data-key='assign']")).to_contain_text("辖区物业队伍")
    night = rules.locator("#rules-table tr .rule-part[data-key='time_of_day']")
    expect(night).to_contain_text("22:00–06:00")
    first = rules.locator("#rules-table tbody tr").first
    expect(first).to_have_attribute("data-rule", "assisted-caller-first")
    expect(rules.locator("#rules-reload")).to_be_hidden()  # reloading is the admin's


def test_a_refused_file_is_said_and_the_rules_in_force_stay_listed(
    pages: Pages, desk: Desk, web_settings: Settings
) -> None:
    rules = pages.open("admin", "/rules")
    count = rules.locator("#rules-table tbody tr")
    expect(count.first).to_be_visible()
    before = count.count()
    rules_file = web_settings.config_dir / "rules.yaml"
    good = rules_file.read_text(encoding="utf-8")
    rules_file.write_text("rules: [unclosed\n", encoding="utf-8")
    rules.click("#rules-reload")
    expect(rules.locator("#rules-error")).to_be_visible()
    expect(count).to_have_count(before)

    rules_file.write_text(good, encoding="utf-8")
    rules.click("#rules-reload")
    expect(rules.locator("#alert")).to_have_text("规则已重新加载")
    expect(rules.locator("#rules-error")).to_be_hidden()
