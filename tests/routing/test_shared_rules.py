"""Several API instances, each with its own copy of config/, route by the same rules: a rule
an admin saves on one is in force on all, a restart with an older file undoes nothing, and a
new file deployed on one reaches the others.

Each instance is a real app with its own engine and background services on the one database
of the test. On PostgreSQL a change reaches the others by NOTIFY; here the SQLite instances
(one file shared by two processes, like `dispatch serve` and `dispatch scheduler`) look
every 0.2 s.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.builders.desk import Person, operator
from tests.routing.test_editing import TO_CENTRE, TO_PROPERTY, _opened, _save


@contextmanager
def instance(
    settings: Settings, clock: FrozenClock, config: Path, recheck_seconds: float = 0.2
) -> Iterator[TestClient]:
    """One API instance with its own rules file, running until the block ends."""
    mine = settings.model_copy(
        update={"config_dir": config, "rules_recheck_seconds": recheck_seconds}
    )
    db = Database(settings.database_url)
    try:
        with TestClient(create_app(mine, clock=clock, database=db)) as client:
            yield client
    finally:
        db.dispose()


def config_copy(settings: Settings, name: str) -> Path:
    copy = settings.config_dir.parent / name
    shutil.copytree(settings.config_dir, copy)
    return copy


@contextmanager
def instances_a_and_b(
    settings: Settings, clock: FrozenClock, config_b: Path, recheck_b: float = 0.2
) -> Iterator[tuple[TestClient, TestClient]]:
    """A with the test's config/, B with its own copy."""
    with (
        instance(settings, clock, settings.config_dir) as a,
        instance(settings, clock, config_b, recheck_seconds=recheck_b) as b,
    ):
        yield a, b


def send_fire_lane_to_centre(client: TestClient) -> dict[str, Any]:
    """An admin saves the rules with fire-lane calls sent to the governance centre."""
    admin = Person(client, "admin")
    opened = _opened(admin)
    saved = _save(admin, opened["text"].replace(TO_PROPERTY, TO_CENTRE, 1), opened["version"])
    assert saved.status_code == 200, saved.text
    answer: dict[str, Any] = saved.json()
    return answer


def fire_lane_team(client: TestClient) -> str:
    team: str = operator(client).create_order()["routing"]["lead_team"]
    return team


def eventually(check: Callable[[], Any], expected: Any, seconds: float = 5.0) -> float:
    """How long it took until check() gave expected."""
    started = time.monotonic()
    while (seen := check()) != expected:
        assert time.monotonic() - started < seconds, f"still {seen!r}, not {expected!r}"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_rule_saved_on_one_instance_routes_the_next_call_taken_on_another(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instances_a_and_b(settings, clock, config_b) as (a, b):
        assert fire_lane_team(b) == "jindi-property"
        saved = send_fire_lane_to_centre(a)

        took = eventually(lambda: fire_lane_team(b), "governance-centre")

        assert took < 2.0
        on_b = _opened(Person(b, "admin"))
        assert on_b["version"] == saved["version"] and TO_CENTRE in on_b["text"]
        versions = Person(b, "admin").get("/api/v1/routing/rules/versions").json()
        assert [v["version"] for v in versions if v["in_force"]] == [on_b["version"]]
        # Instance A's file says what routes; B's own copy of config/ is left as it was.
        assert TO_CENTRE in (settings.config_dir / "rules.yaml").read_text("utf-8")
        assert TO_PROPERTY in (config_b / "rules.yaml").read_text("utf-8")


def test_a_save_based_on_rules_a_colleague_replaced_on_another_instance_is_refused(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instances_a_and_b(settings, clock, config_b, recheck_b=60) as (a, b):
        on_b = Person(b, "admin")
        opened_on_b = _opened(on_b)
        on_a = Person(a, "admin")
        opened_on_a = _opened(on_a)
        mine = opened_on_a["text"].replace(TO_PROPERTY, TO_CENTRE, 1)
        assert _save(on_a, mine, opened_on_a["version"]).status_code == 200

        theirs = opened_on_b["text"] + "\n# 夜班改的\n"
        refused = _save(on_b, theirs, opened_on_b["version"])

        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["field"] == "based_on"
        assert error["current_version"] == _opened(on_a)["version"]
        eventually(lambda: fire_lane_team(b), "governance-centre")  # the colleague's stands
        assert fire_lane_team(a) == "governance-centre"


def test_two_admins_saving_at_the_same_moment_on_two_instances_one_is_refused(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instances_a_and_b(settings, clock, config_b) as (a, b):
        admins = [Person(a, "admin"), Person(b, "admin")]
        opened = _opened(admins[0])
        texts = [opened["text"] + f"\n# 改动 {n}\n" for n in (1, 2)]
        start = threading.Barrier(2)
        answers: list[int] = []

        def save(n: int) -> None:
            start.wait()
            answers.append(_save(admins[n], texts[n], opened["version"]).status_code)

        threads = [threading.Thread(target=save, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(answers) == [200, 409]
        in_force = _opened(admins[answers.index(200)])["text"]
        assert in_force in texts
        for client in (a, b):
            eventually(lambda c=client: _opened(Person(c, "admin"))["text"], in_force)


def test_an_instance_restarted_with_an_older_rules_file_follows_the_desk(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instance(settings, clock, settings.config_dir) as a:
        saved = send_fire_lane_to_centre(a)

    # B starts with the file the desk started with, which the save replaced.
    with instance(settings, clock, config_b, recheck_seconds=60) as b:
        assert fire_lane_team(b) == "governance-centre"
        assert _opened(Person(b, "admin"))["version"] == saved["version"]


def test_a_new_rules_file_deployed_on_one_instance_is_put_in_force_on_all(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instance(settings, clock, settings.config_dir) as a:
        assert fire_lane_team(a) == "jindi-property"
        deployed = config_b / "rules.yaml"
        deployed.write_text(deployed.read_text("utf-8").replace(TO_PROPERTY, TO_CENTRE, 1), "utf-8")

        clock.advance(timedelta(minutes=5))  # the deploy comes later
        with instance(settings, clock, config_b) as b:
            assert fire_lane_team(b) == "governance-centre"
            eventually(lambda: fire_lane_team(a), "governance-centre")
            kept = Person(a, "admin").get("/api/v1/routing/rules/versions").json()
            assert kept[0]["in_force"] and kept[0]["saved_by"] is None  # from a file


def test_a_hand_edit_of_the_rules_file_on_one_instance_reaches_the_others(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    with instances_a_and_b(settings, clock, config_b) as (a, b):
        edited = config_b / "rules.yaml"
        edited.write_text(edited.read_text("utf-8").replace(TO_PROPERTY, TO_CENTRE, 1), "utf-8")

        assert fire_lane_team(b) == "governance-centre"  # B's next request reads its file
        eventually(lambda: fire_lane_team(a), "governance-centre")


def test_rules_naming_a_team_this_instance_does_not_know_are_refused_here_and_reported(
    settings: Settings, clock: FrozenClock
) -> None:
    config_b = config_copy(settings, "config-b")
    teams = config_b / "teams.yaml"  # B runs an older teams.yaml, without the centre
    text = teams.read_text("utf-8")
    assert "code: governance-centre" in text
    teams.write_text(text.replace("code: governance-centre", "code: old-centre"), "utf-8")
    with instances_a_and_b(settings, clock, config_b) as (a, b):
        send_fire_lane_to_centre(a)

        def rules_check_on_b() -> Any:
            checks = Person(b, "admin").get("/api/v1/status").json()["checks"]
            return next(c["ok"] for c in checks if c["name"] == "rules")

        eventually(rules_check_on_b, False)
        assert fire_lane_team(b) == "jindi-property"  # B keeps the rules it could read
        assert fire_lane_team(a) == "governance-centre"
