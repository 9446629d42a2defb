"""The admin keeps the desk's users from a page; everyone changes their own password."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dispatch.settings import Settings
from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import PHONE, Desk, Pages

pytestmark = pytest.mark.browser


def _edit(page: Page, username: str) -> Page:
    page.locator(f"#users-table tr.user-row[data-username='{username}'] button.edit").click()
    return page


def _login_status(desk: Desk, username: str, password: str = DEMO_PASSWORD) -> int:
    answer = desk.http.post("/api/v1/auth/login", json={"username": username, "password": password})
    return answer.status_code


def _user(desk: Desk, username: str) -> dict[str, object]:
    listed = desk.http.get("/api/v1/users", headers=desk.as_user("admin")).json()
    return next(u for u in listed if u["username"] == username)


def test_admin_locks_out_a_leader_who_left_and_moves_a_member_to_another_team(
    pages: Pages, desk: Desk
) -> None:
    users = pages.open("admin", "/users")
    leader = users.locator("#users-table tr.user-row[data-username='leader.jindi']")
    expect(leader).to_contain_text("服务队队长")
    expect(leader).to_contain_text("金地物业")

    _edit(users, "leader.jindi").locator(".user-edit input[name='active']").uncheck()
    users.locator(".user-edit button[type='submit']").click()
    expect(leader.locator(".status")).to_have_text("已停用")
    assert _login_status(desk, "leader.jindi") == 401
    logged = users.locator("#log-table tr.log-row").first
    expect(logged).to_contain_text("修改人员")
    expect(logged).to_have_attribute("data-target", "leader.jindi")
    expect(logged.locator(".detail")).to_contain_text("active=false")

    member = users.locator("#users-table tr.user-row[data-username='member.jindi']")
    team = _edit(users, "member.jindi").locator(".user-edit select[name='team_code']")
    team.select_option("yinpi-property")
    users.locator(".user-edit button[type='submit']").click()
    expect(member.locator(".team")).to_have_text("银啤苑物业")
    assert _user(desk, "member.jindi")["team_code"] == "yinpi-property"


def test_admin_adds_a_team_leader_who_can_log_in_at_once(pages: Pages, desk: Desk) -> None:
    users = pages.open("admin", "/users")
    add = users.locator("#add-form")
    add.locator("input[name='username']").fill("leader.new")
    add.locator("input[name='display_name']").fill("马新")
    add.locator("select[name='role']").select_option("team_leader")
    add.locator("select[name='team_code']").select_option("jindi-property")
    add.locator("input[name='phone']").fill("139 0951 2222")
    add.locator("input[name='password']").fill("first-day-pass")
    add.locator("button[type='submit']").click()

    row = users.locator("#users-table tr.user-row[data-username='leader.new']")
    expect(row).to_contain_text("马新")
    expect(row).to_contain_text("+8613909512222")
    assert _login_status(desk, "leader.new", "first-day-pass") == 200


def test_a_refused_change_marks_the_field_and_changes_nothing(pages: Pages, desk: Desk) -> None:
    users = pages.open("admin", "/users")
    _edit(users, "operator.li").fill(".user-edit input[name='phone']", "12")
    users.locator(".user-edit button[type='submit']").click()
    expect(users.locator(".user-edit input[name='phone']")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(users.locator(".edit-error")).to_be_visible()
    assert _user(desk, "operator.li")["phone"] == "+8613800000001"

    users.locator(".user-edit .cancel").click()
    _edit(users, "admin").select_option(".user-edit select[name='role']", "supervisor")
    users.locator(".user-edit button[type='submit']").click()
    expect(users.locator(".edit-error")).to_have_text(
        "这是最后一个启用的管理员：请先设置另一名管理员"
    )
    assert _user(desk, "admin")["role"] == "admin"


def test_admin_resets_a_forgotten_password(pages: Pages, desk: Desk) -> None:
    users = pages.open("admin", "/users")
    _edit(users, "operator.li").fill(".user-password input[name='new_password']", "back-on-duty")
    users.locator(".user-password button[type='submit']").click()
    expect(users.locator("#alert")).to_contain_text("已重置")
    assert _login_status(desk, "operator.li") == 401
    assert _login_status(desk, "operator.li", "back-on-duty") == 200


def test_a_team_leader_is_not_shown_the_users_page(pages: Pages, desk: Desk) -> None:
    phone = pages.open("leader.jindi", "/users", viewport=PHONE)
    expect(phone).to_have_url(f"{desk.url}/team")
    # The users page's script stopped before it asked the API anything, and without an error.
    assert "/api/v1/users" not in pages.transcript()


def test_an_operator_changes_her_own_password_and_stays_logged_in(pages: Pages, desk: Desk) -> None:
    account = pages.open("operator.li", "/account", via_login_page=True)
    account.fill("#current-password", "not-my-password")
    account.fill("#new-password", "my-own-secret")
    account.fill("#again-password", "my-own-secret")
    account.click("#password-submit")
    expect(account.locator("#password-error")).to_have_text("当前密码不正确")
    expect(account.locator("#current-password")).to_have_attribute("aria-invalid", "true")

    account.fill("#current-password", DEMO_PASSWORD)
    account.fill("#again-password", "my-own-secreT")
    account.click("#password-submit")
    expect(account.locator("#password-error")).to_have_text("两次输入的新密码不一致")

    account.fill("#again-password", "my-own-secret")
    account.click("#password-submit")
    expect(account.locator("#password-done")).to_be_visible()
    assert _login_status(desk, "operator.li") == 401
    assert _login_status(desk, "operator.li", "my-own-secret") == 200

    account.goto("/console")  # the page kept the fresh token: no login asked
    account.wait_for_selector("#live-status[data-state='online']")
    expect(account).to_have_url(f"{desk.url}/console")


def test_admin_signs_a_lost_phone_out_everywhere(pages: Pages, desk: Desk) -> None:
    lost_phone = desk.token("leader.jindi")
    users = pages.open("admin", "/users")
    _edit(users, "leader.jindi").locator(".user-password .sign-out").click()
    expect(users.locator("#alert")).to_contain_text("已在所有设备下线")
    me = desk.http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {lost_phone}"})
    assert me.status_code == 401
    expect(users.locator("#log-table tr.log-row").first).to_contain_text("强制下线")


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    """Open sockets learn of a moved user within half a second, not the default 15."""
    return web_settings.model_copy(update={"live_recheck_seconds": 0.5})


def test_a_member_moved_to_another_team_sees_the_new_teams_page_without_reloading_it(
    pages: Pages, desk: Desk
) -> None:
    # Through the login page: the quick way's init script would put the old user back.
    phone = pages.open_live("member.jindi", "/team", viewport=PHONE, via_login_page=True)
    expect(phone.locator("#team-name")).to_have_text("金地物业")
    moved = desk.http.patch(
        "/api/v1/users/member.jindi",
        json={"team_code": "yinpi-property"},
        headers=desk.as_user("admin"),
    )
    assert moved.status_code == 200
    expect(phone.locator("#team-name")).to_have_text("银啤苑物业", timeout=10_000)
    expect(phone.locator("#live-status")).to_have_attribute("data-state", "online")
