"""A balancer asks /readyz; a supervisor asks /api/v1/status whether anything behind the API
has stopped: timers that do not escalate, notifications that do not go out, a refused
rules file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.notify.models import DeliveryStatus, NotificationDelivery, NotifyChannel
from dispatch.settings import Settings
from tests.builders.desk import operator, token


@pytest.fixture
def no_scheduler(settings: Settings, clock: FrozenClock, db: Database) -> Iterator[TestClient]:
    """The API alone, as behind a balancer when the `dispatch scheduler` process is down."""
    alone = settings.model_copy(update={"run_scheduler_in_process": False})
    with TestClient(create_app(alone, clock=clock, database=db)) as client:
        yield client


def _status(client: TestClient) -> dict[str, Any]:
    answer = client.get(
        "/api/v1/status", headers={"Authorization": f"Bearer {token(client, 'supervisor.zhang')}"}
    )
    assert answer.status_code == 200, answer.text
    return {c["name"]: c for c in answer.json()["checks"]}


def test_a_migrated_desk_is_ready_without_logging_in(client: TestClient) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["ok"] is True
    assert [c["name"] for c in ready.json()["checks"]] == ["database", "schema"]


def test_code_newer_than_its_database_is_not_ready(client: TestClient, db: Database) -> None:
    with db.session(write=True) as session:
        # dispatch's own revisions are 00NN: its head goes back to the first one
        session.execute(
            text("UPDATE alembic_version SET version_num = '0001' WHERE version_num LIKE '00%'")
        )
    ready = client.get("/readyz")
    assert ready.status_code == 503
    schema = {c["name"]: c for c in ready.json()["checks"]}["schema"]
    assert not schema["ok"]
    assert "'0001'" in schema["detail"] and "dispatch migrate" in schema["detail"]


def test_a_supervisor_learns_that_escalations_stopped_with_the_scheduler(
    no_scheduler: TestClient, clock: FrozenClock
) -> None:
    operator(no_scheduler).create_order()
    assert all(c["ok"] for c in _status(no_scheduler).values())

    clock.advance(timedelta(hours=3))  # the order's accept timer came due long ago
    escalation = _status(no_scheduler)["escalation"]
    assert not escalation["ok"]
    assert escalation["count"] >= 1 and escalation["since"] is not None
    assert "dispatch scheduler" in escalation["detail"]
    assert no_scheduler.get("/readyz").status_code == 200  # the balancer keeps the API


def test_notifications_stuck_for_minutes_are_reported(
    no_scheduler: TestClient, clock: FrozenClock, db: Database
) -> None:
    with db.session(write=True) as session:
        session.add(
            NotificationDelivery(
                recipient="+8613800000101",
                channel=NotifyChannel.sms,
                message="工单待签收",
                status=DeliveryStatus.pending,
                next_attempt_at=clock.now() - timedelta(minutes=9),
                created_at=clock.now() - timedelta(minutes=9),
            )
        )
    notifications = _status(no_scheduler)["notifications"]
    assert not notifications["ok"] and notifications["count"] == 1


def test_a_refused_rules_file_is_reported_while_the_old_rules_run(
    client: TestClient, settings: Settings
) -> None:
    (settings.config_dir / "rules.yaml").write_text("rules:\n  - id: [broken\n", encoding="utf-8")
    client.get(
        "/api/v1/routing/rules", headers={"Authorization": f"Bearer {token(client, 'admin')}"}
    )
    rules = _status(client)["rules"]
    assert not rules["ok"] and "older rules in force" in rules["detail"]


def test_only_the_desks_supervisors_see_the_status(client: TestClient) -> None:
    leader = {"Authorization": f"Bearer {token(client, 'leader.jindi')}"}
    assert client.get("/api/v1/status", headers=leader).status_code == 403
    assert client.get("/api/v1/status").status_code == 401
