"""Sixty operators press "save" at the same moment: every one gets an order, none waits forever.

More concurrent requests than FastAPI has threads used to stall the server for good: the
waiters for the database held every thread the request holding it needed to finish.
"""

from __future__ import annotations

import asyncio

import httpx

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.builders.desk import FIRE_LANE
from tests.live.conftest import running

AT_ONCE = 60  # FastAPI runs sync code on 40 threads


async def test_more_simultaneous_creations_than_threads_all_get_their_order(
    settings: Settings, clock: FrozenClock, db: Database
) -> None:
    app = create_app(settings, clock=clock, database=db)
    with running(app) as desk:
        headers = desk.person("operator.li").headers
        limits = httpx.Limits(max_connections=AT_ONCE)
        async with httpx.AsyncClient(
            base_url=str(desk.http.base_url), timeout=60, limits=limits
        ) as http:
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/api/v1/orders",
                        json={**FIRE_LANE, "description": f"消防通道被堵住了（第{i}位来电）"},
                        headers={**headers, "Idempotency-Key": f"at-once-{i}"},
                    )
                    for i in range(AT_ONCE)
                )
            )

    assert [a.status_code for a in answers] == [201] * AT_ONCE
    assert len({a.json()["number"] for a in answers}) == AT_ONCE
