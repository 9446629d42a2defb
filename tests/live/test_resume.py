"""A phone through a tunnel: it reconnects with its last id and loses nothing, twice nothing."""

from __future__ import annotations

import asyncio
import threading

import httpx
from sqlmodel import col, select

from dispatch.database import Database
from dispatch.events.models import OrderEvent
from tests.builders.desk import Person
from tests.live.conftest import LiveDesk, listen
from tests.live.test_push import YINPI_ROOF, dispatched_for

TEAM = "jindi-property"


def team_event_ids(db: Database, after: int) -> list[int]:
    with db.session() as session:
        rows = session.exec(
            select(OrderEvent).where(col(OrderEvent.id) > after).order_by(col(OrderEvent.id))
        ).all()
    return [row.id for row in rows if row.id is not None and TEAM in row.team_codes]


async def all_committed(db: Database, after: int, last_note: str) -> list[int]:
    """The team's events after `after`, once the last note is in the log.

    A 200 can reach the client a moment before the commit does (FastAPI ends a yield
    dependency after sending the response), so we wait for the row itself.
    """
    for _ in range(100):
        with db.session() as session:
            found = session.exec(
                select(OrderEvent.id)
                .where(OrderEvent.kind == "note_added")
                .order_by(col(OrderEvent.id).desc())
                .limit(1)
            ).first()
            text = session.get(OrderEvent, found).data.get("text") if found else None
        if text == last_note:
            return team_event_ids(db, after)
        await asyncio.sleep(0.02)
    raise AssertionError(f"note {last_note!r} never committed")


def keep_writing(base_url: str, number: str, notes: int) -> threading.Thread:
    """Another operator adds progress notes, on their own connection, while we reconnect."""

    def run() -> None:
        with httpx.Client(base_url=base_url, timeout=10) as http:
            other = Person(http, "operator.wang")  # type: ignore[arg-type]
            for i in range(notes):
                assert other.act(number, "notes", {"text": f"进展 {i}"}).status_code == 200

    return threading.Thread(target=run)


async def test_reconnect_with_last_event_id_receives_missed_events_once_in_order(
    desk: LiveDesk, db: Database
) -> None:
    leader = desk.person("leader.jindi")
    operator = desk.person("operator.li")
    phone = await listen(desk, leader)
    first = operator.create_order()["number"]
    last_seen = (await phone.events_until(dispatched_for(first)))[-1]["id"]
    await phone.ws.close()  # into the tunnel

    second = operator.create_order()["number"]
    assert operator.act(first, "notes", {"text": "已联系物业"}).status_code == 200
    operator.create_order(**YINPI_ROOF)  # another team's: never replayed to jindi
    writer = keep_writing(str(desk.http.base_url), first, notes=15)
    writer.start()  # replay and live overlap: the seam must show no gap and no duplicate
    back = await listen(desk, leader, last_event_id=last_seen)
    writer.join()
    expected = await all_committed(db, last_seen, last_note="进展 14")
    received = list(back.replayed)
    if not received or received[-1]["id"] != expected[-1]:
        received += await back.events_until(lambda m: m["id"] == expected[-1])

    assert [m["id"] for m in received] == expected
    assert {m["order_number"] for m in received} == {first, second}
    assert back.replayed, "events published while away come from the log"
    assert back.ready["last_event_id"] >= back.replayed[-1]["id"]
    assert await back.quiet_for(0.3), "nothing arrives twice after the last event"
