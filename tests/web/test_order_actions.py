"""The desk handles an order from its pages, not only from the API: operators call residents
back from the console's 待回访 list, supervisors urge, extend and summon teams on the order
page, an operator dispatches from triage there too; team roles get none of the desk's actions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser

DESK = ZoneInfo("Asia/Shanghai")  # config/escalation.yaml's and the pages' zone


def resolved_by_jindi(desk: Desk, **overrides: Any) -> str:
    number = str(desk.create_order(**overrides)["number"])
    leader = desk.as_user("leader.jindi")
    for action, body in (("accept", {}), ("resolve", {"result": "已联系车主挪走电动车"})):
        answer = desk.http.post(f"/api/v1/orders/{number}/{action}", json=body, headers=leader)
        assert answer.status_code == 200, answer.text
    return number


def order_of(desk: Desk, number: str) -> dict[str, Any]:
    answer = desk.http.get(f"/api/v1/orders/{number}", headers=desk.as_user("supervisor.zhang"))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_operator_calls_residents_back_from_the_console_and_closes_or_reopens(
    pages: Pages, desk: Desk
) -> None:
    pleased = resolved_by_jindi(desk)
    unhappy = resolved_by_jindi(desk, description="D区9号楼前又堵了")
    console = pages.open_live("operator.li", "/console")
    waiting = console.locator("#callbacks li.order-item")
    expect(waiting).to_have_count(2)
    expect(console.locator("#callback-count")).to_have_text("2")
    assert_only_chinese(console)

    satisfied = "button[data-verdict='satisfied']"
    console.locator(f"#callbacks li[data-number='{pleased}'] {satisfied}").click()
    expect(waiting).to_have_count(1)
    assert order_of(desk, pleased)["status"] == "closed"

    item = console.locator(f"#callbacks li[data-number='{unhappy}']")
    item.locator("button[data-verdict='unsatisfied']").click()  # no reason yet: not sent
    expect(item.locator(".callback-note")).to_be_focused()
    item.locator(".callback-note").fill("居民说车又停回来了")
    item.locator("button[data-verdict='unsatisfied']").click()
    expect(waiting).to_have_count(0)
    expect(console.locator("#callbacks-empty")).to_be_visible()
    assert order_of(desk, unhappy)["status"] == "accepted"  # 重办: back to the team on it

    resolved_by_jindi(desk)  # the next one appears without reloading
    expect(waiting).to_have_count(1)
    assert not_reloaded(console)


def act_on_page(page: Page, action: str) -> Any:
    page.locator(f"#order-actions button[data-action='{action}']").click()
    return page.locator(f"#action-slot form[data-action='{action}']")


def test_supervisor_urges_summons_a_team_and_extends_from_the_order_page(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    page = pages.open_live("supervisor.zhang", f"/orders/{number}")
    buttons = page.locator("#order-actions button")
    expect(buttons).to_have_text(
        ["催办", "延期", "改派", "吹哨报到", "备注", "修改工单", "撤销工单"]
    )

    urge = act_on_page(page, "urge")
    urge.locator("textarea[name=reason]").fill("居民第三次来电")
    urge.locator("button[type=submit]").click()
    expect(page.locator("#alert")).to_contain_text("催办：已完成")
    expect(page.locator("#timeline li.kind-urged")).to_have_count(1)

    summon = act_on_page(page, "add_team")
    expect(summon.locator("option[value='jindi-property']")).to_have_count(0)  # already on it
    summon.locator("select[name=team]").select_option("governance-centre")
    summon.locator("button[type=submit]").click()
    expect(page.locator("#timeline li.kind-team_added")).to_have_count(1)
    expect(page.locator("#order-facts")).to_contain_text("综治中心")

    extend = act_on_page(page, "extend")
    extend.locator("textarea[name=reason]").fill("需协调业主委员会")
    extend.locator("button[type=submit]").click()
    expect(page.locator("#timeline li.kind-extended")).to_have_count(1)
    assert order_of(desk, number)["resolve_due_at"] is not None
    assert_only_chinese(page)
    screenshot(page, "order-actions")


def test_an_order_in_triage_is_dispatched_from_its_page(pages: Pages, desk: Desk) -> None:
    number = desk.create_order(category="other", description="小区门口有一只流浪狗", address={})[
        "number"
    ]
    page = pages.open("operator.li", f"/orders/{number}")
    expect(page.locator("#order-actions button")).to_have_text(
        ["派单", "直接答复", "备注", "修改工单", "撤销工单"]
    )
    form = act_on_page(page, "dispatch")
    form.locator("select[name=team]").select_option("grid-qingshui")
    form.locator("button[type=submit]").click()
    expect(page.locator("#timeline li.kind-dispatched")).to_have_count(1)
    assert order_of(desk, number)["status"] == "dispatched"


def test_a_team_leader_gets_none_of_the_desks_actions(pages: Pages, desk: Desk) -> None:
    number = desk.create_order()["number"]
    page = pages.open("leader.jindi", f"/orders/{number}")
    expect(page.locator("#timeline li.kind-dispatched")).to_have_count(1)
    expect(page.locator("#actions-card")).to_be_hidden()


def test_an_operator_corrects_the_category_and_place_taken_down_wrong(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    page = pages.open("operator.li", f"/orders/{number}")
    form = act_on_page(page, "correct")
    expect(form.locator("select[name=category]")).to_have_value("fire_lane")
    expect(form.locator("select[name=place]")).to_have_value("x:jindi-garden")
    expect(form.locator("input[name=building]")).to_have_value("D区8号楼")
    form.locator("select[name=category]").select_option("noise")
    form.locator("select[name=place]").select_option("x:anyi-home")
    form.locator("input[name=building]").fill("E区1号楼")
    form.locator("button[type=submit]").click()

    changed = page.locator("#timeline li.kind-updated")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("类别 消防通道堵塞 → 噪音扰民")
    expect(changed).to_contain_text("小区 金地花园 → 安怡家园")
    expect(page.locator("#order-facts")).to_contain_text("安怡家园 E区1号楼")
    order = order_of(desk, number)
    assert (order["category"], order["address"]["compound"]) == ("noise", "anyi-home")
    assert_only_chinese(page)


def test_after_a_correction_the_supervisor_moves_the_order_where_the_rules_now_send_it(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]  # 金地花园: 金地物业
    corrected = desk.http.patch(
        f"/api/v1/orders/{number}",
        json={"address": {"compound": "anyi-home", "building": "E区1号楼"}},
        headers=desk.as_user("operator.li"),
    )
    assert corrected.status_code == 200, corrected.text
    page = pages.open("supervisor.zhang", f"/orders/{number}")

    hint = page.locator("#route-hint")
    expect(hint).to_contain_text("应派往 安怡物业")
    hint.locator("button.reroute").click()
    expect(page.locator("#timeline li.kind-reassigned")).to_have_count(1)
    expect(hint).to_be_hidden()
    active = ("dispatched", "accepted", "in_progress")
    parts = [a for a in order_of(desk, number)["assignments"] if a["status"] in active]
    assert [a["team_code"] for a in parts if a["role"] == "lead"] == ["anyi-property"]
    assert_only_chinese(page)


def test_an_order_never_corrected_gets_no_suggestion(pages: Pages, desk: Desk) -> None:
    number = desk.create_order()["number"]
    page = pages.open("supervisor.zhang", f"/orders/{number}")
    expect(page.locator("#timeline li.kind-dispatched")).to_have_count(1)
    expect(page.locator("#route-hint")).to_be_hidden()


def local_input(when: datetime) -> str:
    return when.astimezone(DESK).strftime("%Y-%m-%dT%H:%M")


def test_a_supervisor_abroad_extends_to_the_desks_six_in_the_evening(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]
    due = datetime.fromisoformat(order_of(desk, number)["resolve_due_at"])
    page = pages.open("supervisor.zhang", f"/orders/{number}", timezone_id="America/New_York")

    extend = act_on_page(page, "extend")
    field = extend.locator("input[name=due]")
    # Offered: a day after the deadline now, on the desk's clock, as every time on the page.
    expect(field).to_have_value(local_input(due + timedelta(days=1)))
    later = (
        (due + timedelta(days=3))
        .astimezone(DESK)
        .replace(hour=18, minute=0, second=0, microsecond=0)
    )
    field.fill(local_input(later))
    extend.locator("textarea[name=reason]").fill("需协调业主委员会")
    extend.locator("button[type=submit]").click()

    expect(page.locator("#timeline li.kind-extended")).to_have_count(1)
    assert datetime.fromisoformat(order_of(desk, number)["resolve_due_at"]) == later


def test_operator_answers_a_question_in_the_call_and_one_in_triage_from_its_page(
    pages: Pages, desk: Desk
) -> None:
    console = pages.open("operator.li", "/console")
    console.select_option("#f-category", "other")
    console.select_option("#f-community", "jindi")
    console.fill("#f-description", "咨询住院医保报销需要带哪些材料")
    console.locator("#f-answered").check()
    expect(console.locator("#preview")).to_have_text("直接答复：不派单，受理后即办结归档")
    console.locator("#submit-order").click()  # no answer written yet: not sent
    expect(console.locator("#order-error")).to_have_text("请填写答复内容")
    console.fill("#f-answer", "已告知需携带身份证、医保卡和出院小结，到社区服务中心二号窗口办理")
    console.locator("#submit-order").click()
    expect(console.locator("#created")).to_contain_text("已直接答复并办结")
    expect(console.locator("#f-answer-label")).to_be_hidden()  # the form is clear for the next call
    created = desk.http.get("/api/v1/orders", headers=desk.as_user("operator.li")).json()
    (answered,) = created["data"]
    assert (answered["status"], answered["assignments"]) == ("closed", [])
    assert_only_chinese(console)

    # A question that went to triage: the operator rings back and answers it from its page.
    number = desk.create_order(category="other", description="停水什么时候恢复", address={})[
        "number"
    ]
    page = pages.open("operator.li", f"/orders/{number}")
    form = act_on_page(page, "answer")
    # The 知识库 offers its standard answer on 停水; the operator starts from it and adds
    # what the water company said today.
    form.locator(".answer-suggestions li", has_text="停水咨询").get_by_role(
        "button", name="用此答复"
    ).click()
    expect(form.locator("textarea[name=answer]")).to_have_value(re.compile("^计划停水会提前一天"))
    form.locator("textarea[name=answer]").fill("水务公司抢修中，今晚八点前恢复供水")
    form.get_by_role("button", name="答复并办结").click()
    expect(page.locator("#order-facts")).to_contain_text("已归档")
    answered = page.locator("#timeline .event.kind-resolved")
    expect(answered).to_contain_text("直接答复")
    expect(answered).to_contain_text("今晚八点前恢复供水")
    assert order_of(desk, number)["result"] == "水务公司抢修中，今晚八点前恢复供水"
    screenshot(page, "order-answered-at-desk-zh")
