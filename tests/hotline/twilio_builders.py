"""Real-shaped Twilio webhooks (the documented parameters), signed with the SDK."""

from __future__ import annotations

import itertools
from typing import Any
from xml.etree import ElementTree

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from tests.hotline.conftest import PUBLIC_BASE, TWILIO_TOKEN

ACCOUNT_SID = "AC" + "0" * 32
HOTLINE_NUMBER = "+8695100000"
_sids = itertools.count(1)


def sign(path: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(PUBLIC_BASE + path, params))


def post_signed(client: TestClient, path: str, params: dict[str, str]) -> Any:
    return client.post(path, data=params, headers={"X-Twilio-Signature": sign(path, params)})


def twiml(response: Any) -> ElementTree.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return ElementTree.fromstring(response.text)


class Call:
    """One phone call from a resident, step by step, as Twilio would post it."""

    def __init__(self, client: TestClient, caller: str = "+8613812345678") -> None:
        self.client = client
        self.sid = f"CA{next(_sids):032x}"
        self.caller = caller

    def params(self, **extra: str) -> dict[str, str]:
        return {
            "CallSid": self.sid,
            "AccountSid": ACCOUNT_SID,
            "From": self.caller,
            "To": HOTLINE_NUMBER,
            "Direction": "inbound",
            "CallStatus": "in-progress",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def post(self, step: str, **extra: str) -> Any:
        return post_signed(self.client, f"/hotline/voice/{step}", self.params(**extra))


class Sms:
    """Text messages from one phone, as Twilio's Messaging webhook posts them."""

    def __init__(self, client: TestClient, sender: str) -> None:
        self.client = client
        self.sender = sender

    def send(self, body: str, sid: str | None = None) -> Any:
        params = {
            "MessageSid": sid or f"SM{next(_sids):032x}",
            "AccountSid": ACCOUNT_SID,
            "From": self.sender,
            "To": HOTLINE_NUMBER,
            "Body": body,
            "NumMedia": "0",
        }
        return post_signed(self.client, "/hotline/sms/incoming", params)
