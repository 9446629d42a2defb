"""A team taken out of service never makes a call fail: what would have gone to it waits in
triage for the desk, and the rules editor will not name it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.builders.desk import Person, leader, operator

ROOF_TO_YINPI = (
    "\n  - id: roof-to-yinpi\n    name: 漏水派银啤苑物业\n    when: {category: [roof_leak]}\n"
    "    then: {assign: yinpi-property}\n"
)
ROOF_LEAK = {"category": "roof_leak", "description": "安怡家园E区1号楼楼顶漏水", "address": {}}


def _out_of_service(admin: Person, team: str) -> None:
    answer = admin.patch(f"/api/v1/teams/{team}", {"active": False})
    assert answer.status_code == 200, answer.text


def _first_rule(text: str, rule: str) -> str:
    return text.replace("rules:\n", "rules:" + rule, 1)


def test_a_call_a_hand_edited_rule_sends_to_a_team_out_of_service_waits_in_triage(
    client: TestClient, settings: Settings
) -> None:
    admin = Person(client, "admin")
    _out_of_service(admin, "yinpi-property")
    rules_file = settings.config_dir / "rules.yaml"
    rules_file.write_text(_first_rule(rules_file.read_text("utf-8"), ROOF_TO_YINPI), "utf-8")

    desk = operator(client)
    order = desk.create_order(**ROOF_LEAK)  # taken, not refused mid-call
    assert order["status"] == "triage"
    timeline = desk.get(f"/api/v1/orders/{order['number']}/timeline").json()
    triaged = next(e for e in timeline["data"] if e["kind"] == "triaged")
    assert "yinpi-property" in triaged["data"]["reason"]
    assert "out of service" in triaged["data"]["reason"]


def test_the_rules_editor_refuses_a_rule_naming_a_team_out_of_service_at_its_line(
    client: TestClient,
) -> None:
    admin = Person(client, "admin")
    _out_of_service(admin, "yinpi-property")
    opened = admin.get("/api/v1/routing/rules/file").json()
    text = _first_rule(opened["text"], ROOF_TO_YINPI)
    for answer in (
        admin.post("/api/v1/routing/rules/check", json={"text": text}),
        admin.client.put(
            "/api/v1/routing/rules/file",
            json={"text": text, "based_on": opened["version"]},
            headers=admin.headers,
        ),
    ):
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["line"] == text.splitlines().index("  - id: roof-to-yinpi") + 1
        assert "out of service" in error["reason"]
    assert admin.get("/api/v1/routing/rules/file").json()["text"] == opened["text"]


def test_an_order_reopened_after_its_team_left_service_goes_to_triage(
    client: TestClient,
) -> None:
    desk, jindi = operator(client), leader(client)
    number = desk.create_order()["number"]  # fire lane at 金地花园: 金地物业 by coverage
    for action, body in (
        ("accept", None),
        ("start", None),
        ("resolve", {"result": "已清理消防通道"}),
    ):
        answer = jindi.act(number, action, body)
        assert answer.status_code == 200, answer.text
    _out_of_service(Person(client, "admin"), "jindi-property")  # its contract ended

    reopened = desk.act(number, "reopen", {"reason": "电动车又停回来了"})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "triage"
    parts = {a["team_code"]: a["status"] for a in reopened.json()["assignments"]}
    assert parts == {"jindi-property": "withdrawn"}  # the desk finds it another team
