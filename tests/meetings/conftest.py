"""Meetings read what the supervisor did: no in-process scheduler sending reminders of its own
(the tests run the reminder job themselves, as two schedulers would)."""

from __future__ import annotations

import pytest

from dispatch.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"run_scheduler_in_process": False})
