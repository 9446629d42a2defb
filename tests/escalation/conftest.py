"""Escalation tests drive the sweeper themselves with the frozen clock: no scheduler thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from escalation.scheduler import EscalationScheduler
from tests.escalation.helpers import RecordingNotifier


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"run_scheduler_in_process": False})


@pytest.fixture
def client(settings: Settings, clock: FrozenClock, db: Database) -> Iterator[TestClient]:
    app = create_app(settings, clock=clock, database=db)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def scheduler(client: TestClient, notifier: RecordingNotifier) -> EscalationScheduler:
    """The app's escalation jobs, run by hand: scheduler.sweep() after clock.advance()."""
    app = client.app
    return EscalationScheduler(app.state.escalation, notifier=notifier, worker_id="test-1")  # type: ignore[attr-defined]
