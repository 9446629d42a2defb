"""The Chinese working-day calendar: weekends off, public holidays off, 调休 weekends on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


class WorkingCalendar:
    def __init__(
        self, holidays: Iterable[date] = (), workdays: Iterable[date] = (), tz: str = "UTC"
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.tz = ZoneInfo(tz)

    def years_listed(self) -> set[int]:
        """The years whose 放假安排 has been entered (a holiday or a 调休 workday of them)."""
        return {day.year for day in self.holidays | self.workdays}

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local clock time on the `days`-th working day after start's local date."""
        local = start.astimezone(self.tz)
        day = local.date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        moved = datetime.combine(day, local.time(), tzinfo=self.tz)
        return moved.astimezone(start.tzinfo) if start.tzinfo else moved
