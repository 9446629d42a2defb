"""值班表: the supervisor sees who leads each team now; the admin corrects the shifts and
takes teams out of service and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect

from tests.web.conftest import Desk, Pages
from tests.web.test_languages import assert_only_chinese, assert_only_english

pytestmark = pytest.mark.browser


def _jindi_rota(desk: Desk) -> list[tuple[str, str, str]]:
    teams = desk.http.get("/api/v1/teams", headers=desk.as_user("admin")).json()
    jindi = next(t for t in teams if t["code"] == "jindi-property")
    return [(s["username"], s["starts"], s["ends"]) for s in jindi["rota"]]


def _add_shift(team: Locator, username: str, starts: str, ends: str) -> Locator:
    form = team.locator("form.add-shift")
    form.locator("select[name='username']").select_option(username)
    form.locator("input[name='starts']").fill(starts)
    form.locator("input[name='ends']").fill(ends)
    form.locator("button[type='submit']").click()
    return form


def test_admin_replaces_a_wrong_night_shift_and_an_overlap_is_refused(
    pages: Pages, desk: Desk
) -> None:
    rota = pages.open("admin", "/rota")
    jindi = rota.locator(".rota-team[data-team='jindi-property']")
    expect(jindi.locator("tr.shift")).to_have_count(2)
    expect(jindi.locator("tr.shift[data-username='member.jindi']")).to_contain_text("（次日）")

    jindi.locator("tr.shift[data-username='member.jindi'] button.remove").click()
    expect(jindi.locator("tr.shift")).to_have_count(1)
    _add_shift(jindi, "member.jindi", "20:00", "23:00")
    expect(jindi.locator("tr.shift[data-username='member.jindi']")).to_contain_text("20:00 – 23:00")
    assert ("member.jindi", "20:00", "23:00") in _jindi_rota(desk)

    form = _add_shift(jindi, "member.jindi", "12:00", "13:00")
    expect(rota.locator("#alert")).to_have_text("与已有班次时间重叠")
    expect(form.locator("input[name='starts']")).to_have_attribute("aria-invalid", "true")
    assert len(_jindi_rota(desk)) == 2


def test_a_supervisor_sees_who_leads_each_team_but_changes_nothing(
    pages: Pages, desk: Desk
) -> None:
    teams = desk.http.get("/api/v1/teams", headers=desk.as_user("admin")).json()
    now = next(t["on_duty"] for t in teams if t["code"] == "jindi-property")
    assert now in ("马建国", "杨晓东")  # these pages run on the real clock: day or night
    rota = pages.open("supervisor.zhang", "/rota")
    jindi = rota.locator(".rota-team[data-team='jindi-property']")
    expect(jindi.locator(".on-duty")).to_contain_text(now)
    expect(jindi.locator("tr.shift")).to_have_count(2)
    expect(rota.locator("form.add-shift")).to_have_count(0)
    expect(rota.locator("button.remove")).to_have_count(0)
    expect(rota.locator("button.take-out, button.restore")).to_have_count(0)


def _in_service(desk: Desk) -> dict[str, bool]:
    teams = desk.http.get(
        "/api/v1/teams", params={"include_inactive": "true"}, headers=desk.as_user("admin")
    ).json()
    return {t["code"]: t["active"] for t in teams}


def test_admin_takes_a_disbanded_volunteer_team_out_of_service_and_puts_it_back(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order()["number"]  # 金地物业 has it in hand
    rota = pages.open("admin", "/rota")
    jindi = rota.locator("#rota-teams .rota-team[data-team='jindi-property']")
    jindi.locator("button.take-out").click()
    expect(jindi.locator(".refusal")).to_contain_text("该队伍仍承办 1 件在办工单")
    expect(jindi.locator(f".refusal a[href='/orders/{number}']")).to_have_text(number)
    assert _in_service(desk)["jindi-property"] is True
    assert_only_chinese(rota)

    rota.locator(".rota-team[data-team='blue-safety'] button.take-out").click()
    expect(rota.locator("#alert")).to_have_text("蓝色平安服务队 已停用，不再接收新工单")
    gone = rota.locator("#out-of-service .rota-team.out-of-service[data-team='blue-safety']")
    expect(gone).to_be_visible()
    expect(rota.locator("#rota-teams .rota-team[data-team='blue-safety']")).to_have_count(0)
    assert _in_service(desk)["blue-safety"] is False
    assert_only_chinese(rota)

    gone.locator("button.restore").click()
    expect(rota.locator("#rota-teams .rota-team[data-team='blue-safety']")).to_have_count(1)
    expect(rota.locator("#out-of-service")).to_be_hidden()
    assert _in_service(desk)["blue-safety"] is True


def test_the_english_page_says_why_a_team_cannot_leave_service_in_english(
    pages: Pages, desk: Desk
) -> None:
    rota = pages.open("admin", "/rota?lang=en")
    police = rota.locator(".rota-team[data-team='community-police']")
    police.locator("button.take-out").click()
    expect(police.locator(".refusal")).to_contain_text("Routing rules still send orders to it")
    expect(police.locator(".refusal .rules")).to_contain_text("fraud-alert")
    rota.locator(".rota-team[data-team='blue-safety'] button.take-out").click()
    expect(rota.locator("#out-of-service")).to_be_visible()
    assert_only_english(rota)


def test_a_team_out_of_service_keeps_its_name_on_its_old_orders_and_the_supervisors_rota(
    pages: Pages, desk: Desk
) -> None:
    stray = desk.create_order(category="other", description="小区门口有一只流浪狗", address={})
    number, operator = stray["number"], desk.as_user("operator.li")
    steps = (("dispatch", {"lead_team": "blue-safety"}), ("cancel", {"reason": "狗已自行离开"}))
    for action, body in steps:
        answer = desk.http.post(f"/api/v1/orders/{number}/{action}", json=body, headers=operator)
        assert answer.status_code == 200, answer.text
    taken_out = desk.http.patch(
        "/api/v1/teams/blue-safety", json={"active": False}, headers=desk.as_user("admin")
    )
    assert taken_out.status_code == 200, taken_out.text

    order = pages.open("supervisor.zhang", f"/orders/{number}")
    expect(order.locator("dd .tag").first).to_contain_text("蓝色平安服务队")
    assert_only_chinese(order)

    rota = pages.open("supervisor.zhang", "/rota")
    gone = rota.locator("#out-of-service .rota-team[data-team='blue-safety']")
    expect(gone).to_contain_text("蓝色平安服务队")
    expect(gone.locator("button")).to_have_count(0)
    expect(rota.locator("#rota-teams .rota-team[data-team='blue-safety']")).to_have_count(0)


def test_the_page_says_the_escalation_chains_still_need_the_governance_centre(
    pages: Pages,
) -> None:
    rota = pages.open("admin", "/rota")
    centre = rota.locator("#rota-teams .rota-team[data-team='governance-centre']")
    centre.locator("button.take-out").click()
    refusal = centre.locator(".refusal .escalation")
    expect(refusal).to_contain_text("督办升级链仍把工单转给该队伍")
    expect(refusal).to_contain_text("standard: accept +30m")
    assert_only_chinese(rota)
