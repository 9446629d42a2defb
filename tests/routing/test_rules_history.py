"""Every rules text put in force is kept: the supervisor reads the rules that routed an order
weeks ago, and an admin opens the text from before a bad edit to save it back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.settings import Settings
from tests.builders.desk import Person, leader, operator, supervisor
from tests.routing.test_editing import TO_CENTRE, TO_PROPERTY, _opened, _save


def _versions(person: Person) -> list[dict[str, Any]]:
    answer = person.get("/api/v1/routing/rules/versions")
    assert answer.status_code == 200, answer.text
    versions: list[dict[str, Any]] = answer.json()
    return versions


def test_a_save_keeps_the_new_text_and_the_one_it_replaced(
    client: TestClient, clock: FrozenClock
) -> None:
    admin = Person(client, "admin")
    before = operator(client).create_order()["routing"]["rules_version"]
    clock.advance(timedelta(minutes=5))  # newest first: the save comes after the start
    opened = _opened(admin)
    assert opened["version"] == before
    saved = _save(admin, opened["text"].replace(TO_PROPERTY, TO_CENTRE, 1), opened["version"])
    assert saved.status_code == 200, saved.text

    kept = _versions(supervisor(client))
    assert [(v["version"], v["saved_by"], v["in_force"]) for v in kept] == [
        (saved.json()["version"], "admin", True),
        (before, None, False),
    ]
    # The supervisor reads the rules that routed the earlier order, word for word.
    old = supervisor(client).get(f"/api/v1/routing/rules/versions/{before}")
    assert old.status_code == 200, old.text
    assert old.json()["text"] == opened["text"] and old.json()["rules"] == kept[1]["rules"]


def test_an_admin_restores_the_text_from_before_a_bad_edit(client: TestClient) -> None:
    admin = Person(client, "admin")
    original = _opened(admin)
    bad = _save(admin, original["text"].replace(TO_PROPERTY, TO_CENTRE, 1), original["version"])
    assert operator(client).create_order()["routing"]["lead_team"] == "governance-centre"

    text = admin.get(f"/api/v1/routing/rules/versions/{original['version']}").json()["text"]
    restored = _save(admin, text, bad.json()["version"])

    assert restored.status_code == 200, restored.text
    assert restored.json()["version"] == original["version"]
    assert operator(client).create_order()["routing"]["lead_team"] == "jindi-property"
    # Kept once, with who first saved it (no one: it was the file the desk started with).
    kept = {v["version"]: v for v in _versions(admin)}
    assert len(kept) == 2 and kept[original["version"]]["in_force"] is True


def test_a_hand_edit_put_in_force_by_reload_is_kept_too(
    client: TestClient, settings: Settings
) -> None:
    admin = Person(client, "admin")
    started_with = _opened(admin)["version"]
    rules_file = Path(settings.config_dir) / "rules.yaml"
    rules_file.write_text(rules_file.read_text("utf-8") + "\n# 手工修改\n", "utf-8")

    reloaded = admin.post("/api/v1/routing/reload")

    assert reloaded.status_code == 200, reloaded.text
    kept = {v["version"]: (v["saved_by"], v["in_force"]) for v in _versions(admin)}
    assert kept == {reloaded.json()["version"]: (None, True), started_with: (None, False)}


def test_an_unknown_version_is_404_and_team_roles_do_not_read_the_rules_texts(
    client: TestClient,
) -> None:
    missing = supervisor(client).get("/api/v1/routing/rules/versions/0123456789ab")
    assert missing.status_code == 404
    assert missing.json()["error"]["field"] == "version"
    assert leader(client).get("/api/v1/routing/rules/versions").status_code == 403
