"""The supervisor is told, on the board and in GET /api/v1/status, when the working-day
calendar lacks the 放假安排 of a year the deadlines reach: without it, orders due in the
Spring Festival would turn late on its first day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from escalation.policies.calendar_status import calendar_covers
from escalation.policies.config import CalendarSpec, EscalationConfig, PolicySpec, load_config
from tests.builders.desk import supervisor

CONFIG = Path(__file__).parents[2] / "config" / "escalation.yaml"


def _only_2026(**policies: PolicySpec) -> EscalationConfig:
    demo = load_config(CONFIG)
    calendar = CalendarSpec(
        holidays=[d for d in demo.calendar.holidays if d.year == 2026],
        workdays=[d for d in demo.calendar.workdays if d.year == 2026],
    )
    return demo.model_copy(update={"calendar": calendar, "policies": {**demo.policies, **policies}})


def test_in_december_the_desk_is_asked_for_next_years_holidays() -> None:
    found = calendar_covers(_only_2026(), datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    assert not found.ok
    assert found.count == 1
    assert "no holidays listed for 2027" in found.detail
    assert "config/escalation.yaml" in found.detail


def test_in_november_this_years_holidays_are_enough() -> None:
    found = calendar_covers(_only_2026(), datetime(2026, 11, 22, 2, 30, tzinfo=UTC))
    assert found.ok, found.detail


def test_a_deadline_of_many_working_days_asks_for_next_year_earlier() -> None:
    long_case = PolicySpec(
        accept_within=timedelta(hours=4), resolve_within=timedelta(days=60), working_days=True
    )
    found = calendar_covers(
        _only_2026(long_case=long_case), datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
    )
    assert not found.ok
    assert "2027" in found.detail


def test_the_demo_desk_has_the_coming_years_holidays(client: TestClient) -> None:
    checks = supervisor(client).get("/api/v1/status").json()["checks"]
    calendar = next(c for c in checks if c["name"] == "working_calendar")
    assert calendar["ok"], calendar["detail"]
    assert calendar["detail"] == "holidays listed for 2026-2026"  # 22 November 2026
