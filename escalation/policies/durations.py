"""Durations as people write them in config: 30s, 15m, 2h, 7d, -10m, 0."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(-?)(\d+)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 1}


def parse_duration(value: object) -> timedelta:
    """'15m' -> 15 minutes; a bare number means seconds; a leading '-' means before."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"not a duration: {value!r} (write e.g. 30s, 15m, 2h, 7d, -10m)")
    sign, amount, unit = match.groups()
    seconds = int(amount) * _UNIT_SECONDS[unit]
    return timedelta(seconds=-seconds if sign else seconds)


def whole_days(value: object) -> int | None:
    """'7d' -> 7; anything not a whole number of days -> None."""
    delta = parse_duration(value)
    if delta.total_seconds() > 0 and delta.total_seconds() % 86400 == 0:
        return int(delta.total_seconds() // 86400)
    return None


def format_offset(value: timedelta) -> str:
    """An offset as the config writes it, signed: -10m, 0, +30m, +1d."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0"
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{sign}{seconds // size}{unit}"
    return f"{sign}{seconds}s"
