"""GET /api/v1/status: whether the working-day calendar lists the 放假安排 of every year the
deadlines reach now, and of next year once this one has a month left.

Deadlines counted in working days skip weekends only in a year with no holidays listed:
orders due in the Spring Festival would turn late on the first day of it. The State
Council's office publishes next year's dates in the autumn; the desk must enter them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session

from dispatch.status.checks import Check, StatusCheck
from escalation.policies.calendar import WorkingCalendar
from escalation.policies.config import EscalationConfig
from escalation.policies.durations import whole_days

NAME = "working_calendar"
NOTICE_DAYS = 31  # next year's dates are asked for from December on


def years_needed(config: EscalationConfig, calendar: WorkingCalendar, now: datetime) -> list[int]:
    """This year, any year the longest working-day deadline set now falls in, and next year
    in this year's last month."""
    today = now.astimezone(calendar.tz).date()
    longest = max(
        (
            whole_days(p.resolve_within) or 0
            for p in [*config.policies.values(), *config.defaults.values()]
            if p.working_days
        ),
        default=0,
    )
    furthest = calendar.add_working_days(now, longest).astimezone(calendar.tz).date()
    if (date(today.year + 1, 1, 1) - today).days <= NOTICE_DAYS:
        furthest = max(furthest, date(today.year + 1, 1, 1))
    return list(range(today.year, furthest.year + 1))


def calendar_covers(config: EscalationConfig, now: datetime) -> Check:
    calendar = config.working_calendar()
    needed = years_needed(config, calendar, now)
    missing = [y for y in needed if y not in calendar.years_listed()]
    if not missing:
        return Check(NAME, ok=True, detail=f"holidays listed for {needed[0]}-{needed[-1]}")
    years = ", ".join(str(y) for y in missing)
    detail = (
        f"no holidays listed for {years}: working-day deadlines there skip weekends only;"
        " add the State Council's 放假安排 (holidays and 调休 workdays) to the calendar of"
        " config/escalation.yaml"
    )
    return Check(NAME, ok=False, detail=detail, count=len(missing))


def calendar_check(config_of: Callable[[], EscalationConfig]) -> StatusCheck:
    def working_calendar(_session: Session, now: datetime) -> Check:
        return calendar_covers(config_of(), now)

    return working_calendar
