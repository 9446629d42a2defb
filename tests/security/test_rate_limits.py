"""Guessing passwords and flooding the public webhooks are slowed down with 429s."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, ClassVar, Literal

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from dispatch.auth import passwords
from dispatch.auth.throttle import FAILURES_PER_USERNAME
from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.conftest import DEMO_PASSWORD

LOGIN = "/api/v1/auth/login"
PUBLIC_REQUESTS_PER_MINUTE = Settings.model_fields["public_requests_per_minute"].default


def log_in(client: TestClient, username: str, password: str) -> Any:
    return client.post(LOGIN, json={"username": username, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_waits_a_minute(
    client: TestClient, clock: FrozenClock
) -> None:
    for _ in range(FAILURES_PER_USERNAME):
        assert log_in(client, "operator.li", "guess").status_code == 401
    refused = log_in(client, "operator.li", DEMO_PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.headers["Retry-After"] == "60"
    clock.advance(timedelta(seconds=61))
    assert log_in(client, "operator.li", DEMO_PASSWORD).status_code == 200


def test_an_unknown_user_is_throttled_exactly_like_a_real_one(client: TestClient) -> None:
    real = [log_in(client, "operator.li", "guess") for _ in range(FAILURES_PER_USERNAME + 1)]
    ghost = [log_in(client, "nobody.here", "guess") for _ in range(FAILURES_PER_USERNAME + 1)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost]
    assert [r.json() for r in real] == [r.json() for r in ghost]
    assert real[-1].status_code == 429


def test_one_users_failures_do_not_lock_out_a_colleague(client: TestClient) -> None:
    for _ in range(FAILURES_PER_USERNAME):
        log_in(client, "operator.li", "guess")
    assert log_in(client, "operator.wang", DEMO_PASSWORD).status_code == 200


def test_logging_in_clears_the_count_of_earlier_typos(client: TestClient) -> None:
    for _ in range(FAILURES_PER_USERNAME - 1):
        log_in(client, "operator.li", "typo")
    assert log_in(client, "operator.li", DEMO_PASSWORD).status_code == 200
    for _ in range(FAILURES_PER_USERNAME - 1):
        assert log_in(client, "operator.li", "typo").status_code == 401


def test_guesses_spread_over_two_api_instances_are_counted_together(
    settings: Settings, clock: FrozenClock, db: Database
) -> None:
    """Behind a balancer each guess may land on another instance: they share the count."""
    other_db = Database(settings.database_url)
    first = create_app(settings, clock=clock, database=db)
    second = create_app(settings, clock=clock, database=other_db)
    with TestClient(first) as one, TestClient(second) as two:
        for n in range(FAILURES_PER_USERNAME):
            assert log_in(one if n % 2 else two, "operator.li", "guess").status_code == 401
        assert log_in(one, "operator.li", DEMO_PASSWORD).status_code == 429
        assert log_in(two, "operator.li", DEMO_PASSWORD).status_code == 429
        clock.advance(timedelta(seconds=61))
        assert log_in(two, "operator.li", DEMO_PASSWORD).status_code == 200
    other_db.dispose()


def test_a_restart_does_not_forget_the_guesses(
    settings: Settings, clock: FrozenClock, db: Database
) -> None:
    with TestClient(create_app(settings, clock=clock, database=db)) as before:
        for _ in range(FAILURES_PER_USERNAME):
            log_in(before, "operator.li", "guess")
    with TestClient(create_app(settings, clock=clock, database=db)) as after:
        assert log_in(after, "operator.li", DEMO_PASSWORD).status_code == 429


class CountingHasher(PasswordHasher):
    """The same argon2 hasher, remembering which hash each verification checked."""

    checked: ClassVar[list[str]] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checked.append(str(hash))
        return super().verify(hash, password)


@pytest.fixture
def argon2_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    CountingHasher.checked = []
    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    return CountingHasher.checked


def test_an_unknown_user_costs_the_same_argon2_check_as_a_wrong_password(
    client: TestClient, argon2_checks: list[str]
) -> None:
    log_in(client, "operator.li", "guess")
    log_in(client, "nobody.here", "guess")
    assert len(argon2_checks) == 2
    # The stand-in hash has the same cost parameters as a real one: the same time class.
    assert not passwords._hasher.check_needs_rehash(argon2_checks[1])
    assert argon2_checks[0] != argon2_checks[1]


@pytest.fixture
def app_at(settings: Settings, clock: FrozenClock, db: Database) -> Iterator[Any]:
    """Test clients that call from a given address."""
    app = create_app(settings, clock=clock, database=db)
    clients: list[TestClient] = []

    def at(address: str) -> TestClient:
        client = TestClient(app, client=(address, 40000))
        clients.append(client)
        return client

    with TestClient(app):  # runs the lifespan once for all of them
        yield at
    for c in clients:
        c.close()


def test_a_flood_of_webhooks_from_one_address_gets_429_and_others_still_get_through(
    app_at: Callable[[str], TestClient], clock: FrozenClock
) -> None:
    flood, twilio = app_at("203.0.113.9"), app_at("198.51.100.7")
    answers = [
        flood.post("/hotline/voice/status", data={"CallSid": "CA1"}).status_code
        for _ in range(PUBLIC_REQUESTS_PER_MINUTE + 1)
    ]
    assert set(answers[:-1]) == {403}  # unsigned: refused, but counted
    assert answers[-1] == 429
    refused = flood.post("/hotline/12345/orders", content=b"{}")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) <= 60
    assert twilio.post("/hotline/voice/status", data={"CallSid": "CA1"}).status_code == 403
    clock.advance(timedelta(minutes=1))
    assert flood.post("/hotline/voice/status", data={"CallSid": "CA1"}).status_code == 403


def test_the_desk_api_is_not_throttled_by_the_webhook_limit(
    app_at: Callable[[str], TestClient],
) -> None:
    desk = app_at("192.0.2.10")
    answers = {desk.get("/healthz").status_code for _ in range(PUBLIC_REQUESTS_PER_MINUTE + 1)}
    assert answers == {200}


def test_a_flood_spread_over_two_api_instances_is_counted_together(
    settings: Settings, clock: FrozenClock, db: Database
) -> None:
    """Behind a balancer a flood's requests land on every instance: they share one count."""
    settings = settings.model_copy(update={"public_requests_per_minute": 4})
    other_db = Database(settings.database_url)
    flood = ("203.0.113.9", 40000)
    first = create_app(settings, clock=clock, database=db)
    second = create_app(settings, clock=clock, database=other_db)
    with TestClient(first, client=flood) as one, TestClient(second, client=flood) as two:
        answers = [
            (one if n % 2 else two).post("/hotline/voice/status", data={"CallSid": "CA1"})
            for n in range(5)
        ]
        assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
        assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
        assert one.post("/hotline/12345/orders", content=b"{}").status_code == 429
        clock.advance(timedelta(minutes=1))
        assert one.post("/hotline/voice/status", data={"CallSid": "CA1"}).status_code == 403
    with TestClient(second, client=("198.51.100.7", 40000)) as twilio:
        assert twilio.post("/hotline/voice/status", data={"CallSid": "CA1"}).status_code == 403
    other_db.dispose()
