"""Two instances on one PostgreSQL: an order taken on A reaches a phone connected to B."""

from __future__ import annotations

import time

import pytest

from dispatch.clock import FrozenClock
from dispatch.settings import Settings
from tests.conftest import BACKENDS
from tests.live.conftest import listen, two_instances
from tests.live.test_push import dispatched_for


@pytest.mark.skipif("postgres" not in BACKENDS, reason="PostgreSQL not in HOTLINE_TEST_BACKENDS")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_event_written_on_instance_a_reaches_client_of_instance_b(
    settings: Settings, clock: FrozenClock
) -> None:
    # B polls the log only every 30 s: what arrives sooner was woken by A's NOTIFY.
    async with two_instances(settings, clock, poll_seconds=30) as (a, b):
        phone_on_b = await listen(b, b.person("leader.jindi"))
        board_on_b = await listen(b, b.person("supervisor.zhang"))
        started = time.monotonic()
        number = a.person("operator.li").create_order()["number"]

        got = await phone_on_b.events_until(dispatched_for(number), timeout=5)
        elapsed = time.monotonic() - started
        board = await board_on_b.events_until(dispatched_for(number), timeout=5)

        assert elapsed < 2.0
        assert [m["order_number"] for m in got] == [number]
        assert [m["kind"] for m in board] == ["received", "routed", "dispatched"]
        assert [m["id"] for m in board] == sorted(m["id"] for m in board)
