"""The seam to the escalation package's SMS accept codes (签收码).

Escalation owns the codes: `accept_by_code(session, code, from_phone, now)` accepts the order
a code was sent for, if the phone is the team leader's. The hotline only finds that
function, if the package is installed, and passes the leader's text to it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session

AcceptByCode = Callable[[Session, str, str, datetime], Any]

# Where escalation may put the function; the first that exists is used.
CANDIDATES = ("escalation.codes.service", "escalation.codes")


def find_accept_by_code() -> AcceptByCode | None:
    for module_name in CANDIDATES:
        try:
            if importlib.util.find_spec(module_name) is None:
                continue
        except ModuleNotFoundError:
            continue
        function = getattr(importlib.import_module(module_name), "accept_by_code", None)
        if callable(function):
            return function  # type: ignore[no-any-return]
    return None


def describe_accepted(result: Any) -> str | None:
    """What to text back: the result's own reply, else a line naming the order."""
    if result is None or result is False:
        return None
    reply = getattr(result, "reply", None)  # escalation's AcceptResult explains itself
    if isinstance(reply, str) and reply:
        return reply
    number = getattr(result, "number", None) or getattr(result, "order_number", None)
    if number:
        return f"已签收工单 {number}，请尽快处置。"
    if isinstance(result, str):
        return result
    return "已签收，请尽快处置。"
