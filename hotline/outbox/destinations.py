"""Where outbox messages go: a signed HTTP endpoint (12345, police) or a text message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx

from hotline.outbox.models import OutboxMessage
from hotline.signing import signed_headers
from hotline.twilio.client import SmsSender, SmsSendError


class DeliveryError(Exception):
    """This attempt failed; the message stays pending and is tried again later."""


class Destination(Protocol):
    def deliver(self, message: OutboxMessage, now: datetime) -> str | None:
        """Send once; return the receiver's reference, or raise DeliveryError."""
        ...


def body_of(message: OutboxMessage) -> bytes:
    payload = {"message_id": message.id, "kind": message.kind, **message.payload}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def _reference(response: httpx.Response) -> str | None:
    try:
        answer: Any = response.json()
    except ValueError:
        return None
    if isinstance(answer, dict):
        for key in ("reference", "ref", "case_id", "id"):
            if answer.get(key):
                return str(answer[key])
    return None


@dataclass
class SignedHttpDestination:
    """POST the message as JSON, signed like the inbound 12345 requests; 2xx is delivered.

    `Idempotency-Key: outbox-<id>` lets the receiver drop a repeat after a crash between
    its 2xx and our bookkeeping.
    """

    url: str
    secret: str
    client: httpx.Client
    header_prefix: str = "X-12345"

    def deliver(self, message: OutboxMessage, now: datetime) -> str | None:
        if not self.url or not self.secret:
            raise DeliveryError("destination URL or secret is not configured")
        body = body_of(message)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": f"outbox-{message.id}",
            **signed_headers(self.secret, body, now, self.header_prefix),
        }
        try:
            response = self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise DeliveryError(f"HTTP {response.status_code}: {response.text[:300]}")
        return _reference(response)


@dataclass
class SmsDestination:
    sender: SmsSender

    def deliver(self, message: OutboxMessage, now: datetime) -> str | None:
        try:
            return self.sender.send(str(message.payload["to"]), str(message.payload["body"]))
        except SmsSendError as exc:
            raise DeliveryError(str(exc)) from exc
