"""Requests per source address and minute, counted in the database: behind a balancer every
API instance adds to the one count, so N instances let a flood through once, not N times."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Column, delete
from sqlmodel import Field, Session, SQLModel, col

from dispatch.database import UTCDateTime, insert_on_conflict

# Rows of minutes older than this are of no use to any window.
KEPT = timedelta(minutes=2)


class RequestTally(SQLModel, table=True):
    __tablename__ = "request_tally"

    address: str = Field(primary_key=True, max_length=64)
    minute: datetime = Field(sa_column=Column(UTCDateTime, primary_key=True))
    hits: int = 0


def minute_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_hit(session: Session, address: str, now: datetime) -> int:
    """One more request from `address` this minute; how many this minute, all instances."""
    table = RequestTally.__table__  # type: ignore[attr-defined]
    statement = (
        insert_on_conflict(session, table)
        .values(address=address[:64], minute=minute_of(now), hits=1)
        .on_conflict_do_update(
            index_elements=["address", "minute"], set_={"hits": table.c.hits + 1}
        )
        .returning(table.c.hits)
    )
    hits: int = session.execute(statement).scalar_one()
    return hits


def forget_old(session: Session, now: datetime) -> None:
    session.execute(delete(RequestTally).where(col(RequestTally.minute) < minute_of(now) - KEPT))
