"""Human-readable order numbers, one atomic counter per local day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from dispatch.database import insert_on_conflict
from dispatch.orders.models import OrderCounter


def next_order_number(session: Session, day: date, prefix: str = "WO") -> str:
    table = OrderCounter.__table__  # type: ignore[attr-defined]
    statement = (
        insert_on_conflict(session, table)
        .values(day=day, last=1)
        .on_conflict_do_update(index_elements=["day"], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    last = session.execute(statement).scalar_one()
    return f"{prefix}-{day:%Y%m%d}-{last:04d}"
