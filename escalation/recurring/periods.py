"""Which period a recurring job is in: the latest scheduled local time at or before now."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _at(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def latest_daily(now: datetime, at: str, tz: str) -> date:
    local = now.astimezone(ZoneInfo(tz))
    day = local.date()
    return day if local.time() >= _at(at) else day - timedelta(days=1)


def latest_weekly(now: datetime, weekday: str, at: str, tz: str) -> date:
    local = now.astimezone(ZoneInfo(tz))
    target = WEEKDAYS.index(weekday)
    back = (local.weekday() - target) % 7
    day = local.date() - timedelta(days=back)
    if back == 0 and local.time() < _at(at):
        day -= timedelta(days=7)
    return day
