"""The supervisor's board says so when something behind the API has stopped working."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dispatch.settings import Settings
from tests.web.conftest import Desk, Pages

pytestmark = pytest.mark.browser


def test_the_board_warns_that_a_rules_file_was_refused_and_the_old_rules_still_route(
    pages: Pages, desk: Desk, web_settings: Settings
) -> None:
    board = pages.open_live("supervisor.zhang", "/board")
    # No rules warning yet (only that one: these tests run on the real date, and in December
    # the band may rightly ask for next year's holidays if config/ lacks them).
    expect(board.locator("#desk-status li[data-check='rules']")).to_have_count(0)

    (web_settings.config_dir / "rules.yaml").write_text("rules: [unclosed\n", encoding="utf-8")
    seen = desk.http.get("/api/v1/routing/rules", headers=desk.as_user("admin")).json()
    assert seen["last_error"]
    board.reload()
    warning = board.locator("#desk-status li[data-check='rules']")
    expect(warning).to_have_text("派单规则文件有误未被采用，仍按原规则派单：请联系管理员")
