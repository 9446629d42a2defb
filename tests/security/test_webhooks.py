"""Webhooks prove who sent them: another key, a stale or a replayed signature is refused."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from dispatch.clock import FrozenClock
from dispatch.database import Database
from hotline.signing import signed_headers
from tests.hotline.conftest import PUBLIC_BASE, UPSTREAM_SECRET
from tests.hotline.conftest import settings as settings  # the hotline configured
from tests.hotline.lookups import order_count
from tests.hotline.twilio_builders import Call, Sms, sign
from tests.hotline.upstream_builders import DRAIN_ORDER, push

ANOTHER_ACCOUNTS_TOKEN = "another-twilio-account-auth-token-00000000"


def test_a_twilio_webhook_signed_with_another_accounts_token_is_refused(
    client: TestClient, db: Database
) -> None:
    call = Call(client)
    params = call.params(Digits="1")
    forged = sign("/hotline/voice/menu", params, token=ANOTHER_ACCOUNTS_TOKEN)
    response = client.post(
        "/hotline/voice/menu", data=params, headers={"X-Twilio-Signature": forged}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert order_count(db) == 0


def test_a_text_signed_for_another_url_is_refused(client: TestClient, db: Database) -> None:
    """A signature captured on one webhook cannot be replayed against another."""
    params = {"MessageSid": "SM" + "1" * 32, "From": "+8613812345678", "Body": "路灯坏了"}
    for_voice = RequestValidator("twilio-test-auth-token-0123456789abcdef").compute_signature(
        PUBLIC_BASE + "/hotline/voice/incoming", params
    )
    response = client.post(
        "/hotline/sms/incoming", data=params, headers={"X-Twilio-Signature": for_voice}
    )
    assert response.status_code == 403
    assert Sms(client, "+8613812345678").send("路灯坏了").status_code == 200  # signed: fine


def test_a_12345_order_resigned_with_another_key_is_refused(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    response = push(client, DRAIN_ORDER, clock.now(), secret="someone-elses-key-0123456789")
    assert response.status_code == 403
    assert order_count(db) == 0


def test_a_captured_12345_push_replayed_after_the_window_is_refused(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    body = json.dumps(DRAIN_ORDER).encode()
    captured = signed_headers(UPSTREAM_SECRET, body, clock.now())
    clock.advance(timedelta(minutes=5, seconds=1))
    replayed = client.post(
        "/hotline/12345/orders",
        content=body,
        headers={"Content-Type": "application/json", **captured},
    )
    assert replayed.status_code == 401
    assert "stale" in replayed.json()["error"]["message"]
    # Nor can the replay just put a fresh timestamp on the old signature.
    fresh = {**captured, "X-12345-Timestamp": str(int(clock.now().timestamp()))}
    moved = client.post(
        "/hotline/12345/orders", content=body, headers={"Content-Type": "application/json", **fresh}
    )
    assert moved.status_code == 403
    assert order_count(db) == 0


def test_a_12345_push_dated_in_the_future_or_not_a_time_is_refused(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    future = push(client, DRAIN_ORDER, clock.now() + timedelta(minutes=6))
    assert future.status_code == 401
    body = json.dumps(DRAIN_ORDER).encode()
    headers = {**signed_headers(UPSTREAM_SECRET, body, clock.now()), "X-12345-Timestamp": "17e8"}
    nonsense = client.post(
        "/hotline/12345/orders",
        content=body,
        headers={"Content-Type": "application/json", **headers},
    )
    assert nonsense.status_code == 401
    assert order_count(db) == 0
