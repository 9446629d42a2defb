"""An admin edits the rules on the desk itself: checked first, saved whole, never over a
colleague's change, and the next call is routed by them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.builders.desk import Person, operator, supervisor

TO_PROPERTY = "assign: {kind: property}\n      sla: safety_hazard"
TO_CENTRE = "assign: governance-centre\n      sla: safety_hazard"


def _opened(admin: Person) -> dict[str, str]:
    response = admin.get("/api/v1/routing/rules/file")
    assert response.status_code == 200, response.text
    opened: dict[str, str] = response.json()
    return opened


def _save(admin: Person, text: str, based_on: str) -> Any:
    return admin.client.put(
        "/api/v1/routing/rules/file",
        json={"text": text, "based_on": based_on},
        headers=admin.headers,
    )


def test_admin_edits_a_rule_and_the_next_fire_lane_call_goes_to_the_new_team(
    client: TestClient, settings: Settings
) -> None:
    admin = Person(client, "admin")
    opened = _opened(admin)
    assert opened["source"] == "rules.yaml" and TO_PROPERTY in opened["text"]
    edited = opened["text"].replace(TO_PROPERTY, TO_CENTRE, 1)

    checked = admin.post("/api/v1/routing/rules/check", json={"text": edited})
    assert checked.status_code == 200, checked.text
    assert operator(client).create_order()["routing"]["lead_team"] == "jindi-property"  # unsaved

    saved = _save(admin, edited, opened["version"])
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == checked.json()["version"]
    assert operator(client).create_order()["routing"]["lead_team"] == "governance-centre"
    rules_file = Path(settings.config_dir) / "rules.yaml"
    assert rules_file.read_text("utf-8") == edited
    assert (rules_file.parent / "rules.yaml.previous").read_text("utf-8") == opened["text"]
    logged = admin.get("/api/v1/admin-log", params={"action": "rules_changed"}).json()["data"]
    assert logged[0]["data"]["replaced"] == opened["version"]
    assert logged[0]["data"]["version"] == checked.json()["version"]


def test_a_rule_with_a_misspelt_condition_is_refused_with_its_line_and_nothing_is_saved(
    client: TestClient, settings: Settings
) -> None:
    admin = Person(client, "admin")
    opened = _opened(admin)
    broken = opened["text"] + (
        "\n  - id: broken\n    name: 坏规则\n    when: {categroy: [fire_lane]}\n"
        "    then: {assign: jindi-property}\n"
    )
    for response in (
        admin.post("/api/v1/routing/rules/check", json={"text": broken}),
        _save(admin, broken, opened["version"]),
    ):
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["field"] == "text"
        assert error["line"] == broken.splitlines().index("    when: {categroy: [fire_lane]}") + 1
        assert "categroy" in error["reason"]
    assert (Path(settings.config_dir) / "rules.yaml").read_text("utf-8") == opened["text"]
    assert admin.get("/api/v1/routing/rules").json()["last_error"] is None
    assert operator(client).create_order()["routing"]["lead_team"] == "jindi-property"


def test_a_save_over_a_colleagues_newer_change_is_refused(client: TestClient) -> None:
    first, second = Person(client, "admin"), Person(client, "admin")
    opened_by_first = _opened(first)
    opened_by_second = _opened(second)
    mine = opened_by_second["text"].replace(TO_PROPERTY, TO_CENTRE, 1)
    assert _save(second, mine, opened_by_second["version"]).status_code == 200

    theirs = opened_by_first["text"] + "\n# 张主任改的\n"
    refused = _save(first, theirs, opened_by_first["version"])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["field"] == "based_on"
    assert error["current_version"] == _opened(first)["version"]
    assert _opened(first)["text"] == mine  # the colleague's change stands


def test_supervisors_read_the_file_only_admins_change_it(client: TestClient) -> None:
    boss = supervisor(client)
    opened = boss.get("/api/v1/routing/rules/file").json()
    assert "rules:" in opened["text"]
    assert _save(boss, opened["text"], opened["version"]).status_code == 403
    assert boss.post("/api/v1/routing/rules/check", json={"text": "x"}).status_code == 403
    assert operator(client).get("/api/v1/routing/rules/file").status_code == 403
