"""The 12345 order as the platform pushes it (JSON), and our acknowledgement.

POST /hotline/12345/orders, headers `X-12345-Timestamp` (unix seconds) and
`X-12345-Signature` (hex HMAC-SHA256 of `timestamp + "." + raw body` with the shared
secret). The same `upstream_number` again is a duplicate; a higher `version` updates it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Urgency = Literal["emergency", "urgent", "normal", "low"]


class UpstreamCaller(BaseModel):
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=40)


class UpstreamAddress(BaseModel):
    text: str | None = Field(default=None, max_length=500, examples=["永安北巷12号"])
    community: str | None = Field(default=None, max_length=64, examples=["qingshui"])
    compound: str | None = Field(default=None, max_length=64, examples=["yongan-north-lane"])
    building: str | None = Field(default=None, max_length=64)


class UpstreamOrderIn(BaseModel):
    # Platforms add fields over time: unknown ones are ignored, not refused.
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "upstream_number": "12345-20261122-000123",
                    "version": 1,
                    "received_at": "2026-11-22T09:55:00+08:00",
                    "caller": {"name": "赵先生", "phone": "13812345678"},
                    "content": "永安北巷下水道堵塞，汛期将至",
                    "category": "drain_blocked",
                    "address": {"text": "永安北巷", "compound": "yongan-north-lane"},
                    "urgency": "urgent",
                    "deadline": "2026-11-23T18:00:00+08:00",
                }
            ]
        },
    )

    upstream_number: str = Field(min_length=1, max_length=64)
    version: int = Field(default=1, ge=1)
    received_at: AwareDatetime = Field(description="when the platform took the call")
    caller: UpstreamCaller = Field(default_factory=UpstreamCaller)
    content: str = Field(min_length=1, max_length=4000)
    category: str = Field(
        default="other",
        max_length=100,
        description="our category code or its Chinese name; anything else is 'other'",
    )
    address: UpstreamAddress = Field(default_factory=UpstreamAddress)
    urgency: Urgency = "normal"
    deadline: AwareDatetime | None = Field(default=None, description="the platform's deadline")


Outcome = Literal["created", "duplicate", "updated", "stale_version_ignored"]


class UpstreamOrderAck(BaseModel):
    upstream_number: str
    version: int
    order_number: str
    status: str
    outcome: Outcome
    received_at: datetime
