"""An admin edits the rules while the desk keeps taking calls."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from dispatch.settings import REPO_ROOT, Settings
from tests.builders.desk import FIRE_LANE, Person, operator


def _rules_file(settings: Settings) -> str:
    return str(settings.config_dir / "rules.yaml")


def test_edited_rules_apply_to_the_next_order_without_restart(
    client: TestClient, settings: Settings
) -> None:
    path = _rules_file(settings)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    edited = text.replace(
        "assign: {kind: property}\n      sla: safety_hazard",
        ("assign: governance-centre\n      sla: safety_hazard"),
        1,
    )
    assert edited != text
    with open(path, "w", encoding="utf-8") as f:
        f.write(edited + "\n# edited\n")
    order = operator(client).create_order()
    assert order["routing"]["lead_team"] == "governance-centre"


def test_broken_rules_file_is_refused_and_the_rules_in_force_keep_running(
    client: TestClient, settings: Settings
) -> None:
    path = _rules_file(settings)
    with open(path, "a", encoding="utf-8") as f:
        f.write(
            "\n  - id: broken\n    name: 坏规则\n    when: {categroy: [fire_lane]}\n"
            "    then: {assign: jindi-property}\n"
        )
    admin = Person(client, "admin")
    response = admin.post("/api/v1/routing/reload")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["file"].endswith("rules.yaml")
    assert isinstance(error["line"], int) and error["line"] > 1
    assert "categroy" in error["reason"]
    # Calls keep being routed by the rules that were in force.
    assert operator(client).create_order()["routing"]["lead_team"] == "jindi-property"
    status = admin.get("/api/v1/routing/rules").json()
    assert "categroy" in status["last_error"]


def test_rule_naming_an_unknown_team_is_refused_with_its_line(
    client: TestClient, settings: Settings
) -> None:
    path = _rules_file(settings)
    with open(path, "a", encoding="utf-8") as f:
        f.write(
            "\n  - id: ghost\n    name: 幽灵\n    when: {category: [noise]}\n"
            "    then: {assign: ghostbusters}\n"
        )
    response = Person(client, "admin").post("/api/v1/routing/reload")
    assert response.status_code == 422
    assert "ghostbusters" in response.json()["error"]["reason"]


def test_only_admins_reload_rules(client: TestClient) -> None:
    assert operator(client).post("/api/v1/routing/reload").status_code == 403


def test_preview_names_unknown_category(client: TestClient) -> None:
    response = operator(client).post(
        "/api/v1/routing/preview", json={**FIRE_LANE, "category": "ufo"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "category"


def test_rules_check_command_reports_file_line_and_reason(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    good = subprocess.run(
        [sys.executable, "-m", "dispatch.cli", "rules", "check", "config/rules.yaml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("OK: ")
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - id: a\n    name: x\n    then: {assign: nobody}\n", "utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "dispatch.cli", "rules", "check", str(bad)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1
    assert f"{bad}:4: unknown team 'nobody'" in refused.stderr
