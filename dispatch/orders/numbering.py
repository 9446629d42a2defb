"""Human-readable order numbers, one atomic counter per local day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

# Plain SQL, the same on SQLite and PostgreSQL: SQLAlchemy never caches the compiled form of
# its ON CONFLICT constructs, and compiling one cost more than running it, on every intake.
_NEXT_NUMBER = text(
    "INSERT INTO order_counter (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = order_counter.last + 1 RETURNING last"
).bindparams(bindparam("day", type_=Date()))


def next_order_number(session: Session, day: date, prefix: str = "WO") -> str:
    last = session.execute(_NEXT_NUMBER, {"day": day}).scalar_one()
    return f"{prefix}-{day:%Y%m%d}-{last:04d}"
