"""Outbound Twilio (SMS) through the SDK's client, with an injectable HTTP client.

`RecordingHttpClient` answers like Twilio and remembers every request: tests and offline
development use it, so nothing here ever needs the network unless a real client is chosen.
"""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from twilio.base.exceptions import TwilioException
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from dispatch.settings import Settings

log = logging.getLogger(__name__)


class SmsSendError(Exception):
    pass


class SmsSender(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send one text; returns the provider's message id."""
        ...


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    url: str
    data: dict[str, Any]
    auth: tuple[str, str] | None


@dataclass
class RecordingHttpClient(HttpClient):  # type: ignore[misc]  # the SDK is untyped
    """A stand-in for Twilio's REST API: records requests, answers 201 with a message."""

    requests: list[RecordedRequest] = field(default_factory=list)
    fail_with: int | None = None
    _sids: Any = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        super().__init__(logger=log, is_async=False, timeout=None)

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        self.requests.append(RecordedRequest(method, uri, dict(data or {}), auth))
        if self.fail_with is not None:
            body = {"code": 20003, "message": "refused by the fake", "status": self.fail_with}
            return TwilioResponse(self.fail_with, json.dumps(body))
        sid = f"SM{next(self._sids):032x}"
        message = {
            "sid": sid,
            "status": "queued",
            "to": (data or {}).get("To"),
            "from": (data or {}).get("From"),
            "body": (data or {}).get("Body"),
        }
        return TwilioResponse(201, json.dumps(message))


def signed(signature: str, body: str) -> str:
    """The text as the carriers must see it: the desk's 短信签名 first (once)."""
    return body if not signature or body.startswith(signature) else signature + body


class TwilioSms:
    """Sends texts with the SDK; the HTTP client is Twilio's own unless one is given."""

    def __init__(self, settings: Settings, http_client: HttpClient | None = None) -> None:
        self._from = settings.twilio_from_number
        self._signature = settings.sms_signature
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client
        )

    def send(self, to: str, body: str) -> str:
        try:
            message = self._client.messages.create(
                to=to, from_=self._from, body=signed(self._signature, body)
            )
        except TwilioException as exc:
            raise SmsSendError(str(exc)) from exc
        return str(message.sid)


class ConsoleSms:
    """Development: texts are written to the log instead of sent."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def send(self, to: str, body: str) -> str:
        log.info("SMS to %s: %s", to, body)
        return f"console-{next(self._count)}"


def sms_sender(settings: Settings, http_client: HttpClient | None = None) -> SmsSender:
    """The sender chosen in settings (HOTLINE_NOTIFIER): Twilio, or the console fake."""
    if settings.notifier == "twilio":
        return TwilioSms(settings, http_client)
    return ConsoleSms()
