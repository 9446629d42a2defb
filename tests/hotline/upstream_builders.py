"""The 12345 platform and the police platform, as the outside world the tests control."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient

from hotline.signing import signature, signed_headers
from tests.hotline.conftest import POLICE_SECRET, UPSTREAM_SECRET

DRAIN_ORDER: dict[str, Any] = {
    "upstream_number": "12345-20261122-000123",
    "version": 1,
    "received_at": "2026-11-22T09:55:00+08:00",
    "caller": {"name": "赵先生", "phone": "13812345678"},
    "content": "金地花园D区8号楼前电动车堵住了消防通道",
    "category": "消防通道堵塞",
    "address": {"text": "金地花园D区8号楼", "compound": "jindi-garden"},
    "urgency": "urgent",
    "deadline": "2026-11-23T18:00:00+08:00",
}


def push(
    client: TestClient,
    order: dict[str, Any],
    now: datetime,
    *,
    secret: str = UPSTREAM_SECRET,
    headers: dict[str, str] | None = None,
) -> Any:
    body = json.dumps(order, ensure_ascii=False).encode()
    signed = signed_headers(secret, body, now) if headers is None else headers
    return client.post(
        "/hotline/12345/orders",
        content=body,
        headers={"Content-Type": "application/json", **signed},
    )


@dataclass
class Platform:
    """A receiving platform that refuses the first `failures` requests, then accepts.

    It checks our signature, and remembers every request and every message it accepted.
    """

    secret: str
    header_prefix: str
    failures: int = 0
    reference_prefix: str = "REF"
    seen: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.content
        stamp = request.headers[f"{self.header_prefix}-Timestamp"]
        assert request.headers[f"{self.header_prefix}-Signature"] == signature(
            self.secret, stamp, body
        )
        message = json.loads(body)
        assert request.headers["Idempotency-Key"] == f"outbox-{message['message_id']}"
        self.seen.append(message)
        if self.failures > 0:
            self.failures -= 1
            return httpx.Response(503, text="busy, try later")
        self.accepted.append(message)
        reference = f"{self.reference_prefix}-{len(self.accepted):04d}"
        return httpx.Response(200, json={"ok": True, "reference": reference})


def upstream_12345(failures: int = 0) -> Platform:
    return Platform(UPSTREAM_SECRET, "X-12345", failures, "12345")


def police_platform(failures: int = 0) -> Platform:
    return Platform(POLICE_SECRET, "X-Hotline", failures, "JJ")


class Outside:
    """Routes each outbound request to the platform that owns its host."""

    def __init__(self, upstream: Platform, police: Platform) -> None:
        self.upstream = upstream
        self.police = police

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.host.startswith("police"):
                return self.police(request)
            return self.upstream(request)

        return httpx.MockTransport(handle)
