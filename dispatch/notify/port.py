"""The Notifier port: one method, so a provider (Twilio) and a fake are equally easy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class NotifyChannel(StrEnum):
    push = "push"
    sms = "sms"
    voice = "voice"


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_ref: str | None = None
    error: str | None = None
    retryable: bool = True


class Notifier(Protocol):
    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        """Deliver one message; `ref` names what it is about (e.g. "step:12") for replies."""
        ...
