"""派单规则: a supervisor reads why orders go where; the admin reloads a corrected file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dispatch.settings import Settings
from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser

FIRE_LANE_TEAM = "assign: {kind: property}\n      sla: safety_hazard"  # not the comments'
TO_CENTRE = "assign: governance-centre\n      sla: safety_hazard"


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
    expect(rules.locator("#rules-editor")).to_be_hidden()  # and so is editing


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


def test_the_admin_mends_a_rule_on_the_page_and_the_next_call_follows_it(
    pages: Pages, desk: Desk, web_settings: Settings
) -> None:
    rules = pages.open("admin", "/rules")
    text = rules.locator("#rules-text")
    expect(text).to_have_value(re.compile(r"^# "))  # the file, comments and all
    original = text.input_value()
    misspelt = original.replace(FIRE_LANE_TEAM, "a" + FIRE_LANE_TEAM[2:], 1)
    text.fill(misspelt)
    expect(rules.locator("#rules-edit-state")).to_have_text("有未保存的修改")
    rules.click("#rules-check")
    problem = rules.locator("#rules-edit-error")
    line = misspelt.splitlines().index(next(x for x in misspelt.splitlines() if "asign:" in x)) + 1
    expect(problem).to_contain_text(f"第 {line} 行")
    expect(problem).to_contain_text("asign")
    selected = rules.evaluate(
        "() => { const t = document.getElementById('rules-text');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )
    assert "asign" in selected  # the cursor is on the line at fault

    rules.click("#rules-save")  # refused whole: nothing written
    expect(problem).to_contain_text("asign")
    assert (web_settings.config_dir / "rules.yaml").read_text("utf-8") == original

    text.fill(original.replace(FIRE_LANE_TEAM, TO_CENTRE, 1))
    rules.click("#rules-check")
    expect(rules.locator("#rules-edit-state")).to_contain_text("检查通过")
    rules.click("#rules-save")
    expect(rules.locator("#alert")).to_contain_text("已保存并生效")
    fire_lane = rules.locator("#rules-table tr[data-rule='fire-lane-blocked']")
    expect(fire_lane.locator(".rule-part[data-key='assign']")).to_contain_text("综治中心")
    assert desk.create_order()["routing"]["lead_team"] == "governance-centre"
    screenshot(rules, "rules-editor-zh")


def test_the_admin_restores_the_rules_from_before_a_bad_edit_from_the_versions_list(
    pages: Pages, desk: Desk, web_settings: Settings
) -> None:
    rules = pages.open("admin", "/rules")
    text = rules.locator("#rules-text")
    expect(text).to_have_value(re.compile(r"^# "))
    versions = rules.locator("#rules-versions tr.version")
    expect(versions).to_have_count(1)  # the file the desk started with, kept when it started
    expect(versions.first).to_contain_text("在用")
    original = text.input_value()
    text.fill(original.replace(FIRE_LANE_TEAM, TO_CENTRE, 1))
    rules.click("#rules-save")
    expect(rules.locator("#alert")).to_contain_text("已保存并生效")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("在用")
    expect(versions.first).to_contain_text("admin")
    expect(versions.nth(1)).to_contain_text("文件原有")
    assert desk.create_order()["routing"]["lead_team"] == "governance-centre"

    versions.nth(1).locator("button.restore").click()
    expect(text).to_have_value(original)
    expect(rules.locator("#rules-edit-state")).to_contain_text("检查后保存即恢复")
    rules.click("#rules-save")
    expect(rules.locator("#alert")).to_contain_text("已保存并生效")
    expect(versions.nth(1)).to_contain_text("在用")
    assert (web_settings.config_dir / "rules.yaml").read_text("utf-8") == original
    assert desk.create_order()["routing"]["lead_team"] == "jindi-property"
    assert_only_chinese(rules)


def test_a_supervisor_reads_the_rules_that_routed_an_order_but_restores_nothing(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    opened = desk.http.get("/api/v1/routing/rules/file", headers=desk.as_user("admin")).json()
    edited = opened["text"] + "\n# 值班调整\n"
    saved = desk.http.put(
        "/api/v1/routing/rules/file",
        json={"text": edited, "based_on": opened["version"]},
        headers=desk.as_user("admin"),
    )
    assert saved.status_code == 200, saved.text
    order = pages.open("supervisor.zhang", f"/orders/{number}")
    order.locator("a.rules-version").click()  # the rules in force when it was routed
    order.wait_for_url(f"**/rules?version={opened['version']}")
    shown = order.locator("#rules-version-text")
    expect(shown).to_contain_text("fire-lane-blocked")
    expect(shown).not_to_contain_text("值班调整")
    expect(order.locator("#rules-versions tr.version")).to_have_count(2)
    expect(order.locator("#rules-versions button.restore")).to_have_count(0)
    assert_only_chinese(order)
