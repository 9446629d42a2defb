"""Reports read what the desk did: no in-process scheduler adding escalation steps of its own."""

from __future__ import annotations

import pytest

from dispatch.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"run_scheduler_in_process": False})
