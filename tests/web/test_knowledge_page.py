"""知识库 on the pages: the console suggests standard answers while the operator answers a
call (直接答复), and supervisors keep the answers on their own page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Desk, Pages, screenshot
from tests.web.test_languages import assert_only_chinese, assert_only_english

pytestmark = pytest.mark.browser


def test_operator_answers_a_medical_insurance_question_with_the_suggested_standard_answer(
    pages: Pages, desk: Desk
) -> None:
    console = pages.open("operator.li", "/console")
    suggestions = console.locator("#answer-suggestions")
    console.select_option("#f-category", "medical_insurance")
    console.select_option("#f-community", "jindi")
    console.fill("#f-description", "家里老人住院了，想问医保报销要带什么材料")
    expect(suggestions).to_be_hidden()  # not answering at the desk: nothing to suggest
    console.locator("#f-answered").check()
    first = suggestions.locator("li").first
    expect(first).to_contain_text("医保报销材料")
    assert_only_chinese(console)
    screenshot(console, "console-knowledge-suggestions-zh")

    first.get_by_role("button", name="用此答复").click()
    answer = console.locator("#f-answer")
    expect(answer).to_have_value(
        "住院医保报销请带：本人身份证、医保卡、出院小结、住院费用明细和发票原件；"
        "家属代办另带代办人身份证。\n到社区服务中心二号窗口（工作日 9:00-17:00）办理，"
        "一般 20 个工作日到账。\n在重症监护室、费用较大的，可同时申请大病保险和医疗救助，"
        "社区可派人协助准备材料。"
    )
    answer.press("End")
    answer.type("已告知家属可先到二号窗口咨询。")  # the operator may add to it
    console.locator("#submit-order").click()
    expect(console.locator("#created")).to_contain_text("已直接答复并办结")
    expect(suggestions).to_be_hidden()  # the form is clear for the next call

    orders = desk.http.get("/api/v1/orders", headers=desk.as_user("operator.li")).json()
    (answered,) = orders["data"]
    assert (answered["status"], answered["assignments"]) == ("closed", [])
    assert answered["result"].startswith("住院医保报销请带：本人身份证")
    assert answered["result"].endswith("已告知家属可先到二号窗口咨询。")


def test_a_question_the_knowledge_base_cannot_answer_shows_no_suggestion(
    pages: Pages, desk: Desk
) -> None:
    console = pages.open("operator.li", "/console")
    console.locator("#f-answered").check()
    console.fill("#f-description", "老年食堂几点开门")
    expect(console.locator("#answer-suggestions li")).to_have_count(1)
    console.fill("#f-description", "小区门口有一只流浪狗")
    expect(console.locator("#answer-suggestions")).to_be_hidden()


def test_supervisor_adds_an_answer_edits_one_and_retires_another_on_the_knowledge_page(
    pages: Pages, desk: Desk
) -> None:
    page = pages.open("supervisor.zhang", "/knowledge")
    rows = page.locator("#knowledge-table tr.entry-row")
    expect(rows).to_have_count(10)
    add = page.locator("#add-form")
    add.locator("input[name='title']").fill("燃气泄漏怎么办")
    add.locator("select[name='category']").select_option("power_gas_heating")
    add.locator("input[name='keywords']").fill("燃气、煤气 漏气")
    add.locator("textarea[name='answer']").fill(
        "立即关闭燃气总阀，开窗通风，到室外拨打燃气公司抢修电话。"
    )
    add.locator("button[type='submit']").click()
    expect(rows).to_have_count(11)
    gas = rows.filter(has_text="燃气泄漏怎么办")
    expect(gas.locator(".keywords")).to_have_text("燃气、煤气、漏气")
    assert_only_chinese(page)
    screenshot(page, "knowledge-zh")

    rows.filter(has_text="停水咨询").locator("button.edit").click()
    editor = page.locator("form.entry-edit")
    editor.locator("textarea[name='answer']").fill("主管道抢修，今晚20:00前恢复供水。")
    editor.locator("button[type='submit']").click()
    expect(rows.filter(has_text="停水咨询").locator(".answer")).to_have_text(
        "主管道抢修，今晚20:00前恢复供水。"
    )

    rows.filter(has_text="低保申请").locator("button.edit").click()
    editor.locator("input[name='active']").uncheck()
    editor.locator("button[type='submit']").click()
    expect(page.locator("#alert")).to_contain_text("已停用")
    expect(rows).to_have_count(10)
    page.fill("#filter-q", "燃气")
    expect(rows).to_have_count(1)
    page.fill("#filter-q", "")
    page.select_option("#filter-active", "false")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("低保申请")

    english = pages.open("supervisor.zhang", "/knowledge?lang=en")
    expect(english.locator("#knowledge-table tr.entry-row")).to_have_count(10)
    assert_only_english(english)
