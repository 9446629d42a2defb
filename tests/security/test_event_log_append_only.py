"""The event log is the audit trail: the database itself refuses to rewrite or erase it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dispatch.database import Database
from tests.builders.desk import operator, supervisor


def _first_event_of(db: Database, number: str) -> tuple[int, str]:
    with db.session() as session:
        row = session.execute(
            text(
                "SELECT e.id, e.kind FROM order_event e JOIN work_order o ON o.id = e.order_id "
                "WHERE o.number = :number ORDER BY e.id LIMIT 1"
            ),
            {"number": number},
        ).one()
    return int(row[0]), str(row[1])


def test_changing_a_recorded_event_is_refused_by_the_database(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    event_id, kind = _first_event_of(db, number)
    with pytest.raises(DBAPIError, match="append-only"), db.session(write=True) as session:
        session.execute(
            text("UPDATE order_event SET kind = 'closed' WHERE id = :id"), {"id": event_id}
        )
    assert _first_event_of(db, number) == (event_id, kind)


def test_deleting_a_recorded_event_is_refused_by_the_database(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    event_id, kind = _first_event_of(db, number)
    with pytest.raises(DBAPIError, match="append-only"), db.session(write=True) as session:
        session.execute(text("DELETE FROM order_event WHERE id = :id"), {"id": event_id})
    assert _first_event_of(db, number) == (event_id, kind)


def test_history_still_grows_by_appending(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    boss = supervisor(client)
    before = len(boss.get(f"/api/v1/orders/{number}/timeline").json()["data"])
    boss.act(number, "urge", {"reason": "居民再次来电"})
    after = boss.get(f"/api/v1/orders/{number}/timeline").json()["data"]
    assert len(after) == before + 1
    assert after[-1]["kind"] == "urged"
