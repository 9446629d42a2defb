"""The issue's yardstick: a naive sync SQLModel create, one row per request on a default
SQLite engine (no WAL, no writer queue, no auth, routing or events). bench_orders serves it
like the app and puts our create beside it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlmodel import Field, Session, SQLModel, create_engine


class NaiveOrderIn(SQLModel):
    category: str
    description: str
    phone: str | None = None


class NaiveOrder(NaiveOrderIn, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


engine = create_engine(
    os.environ["DATABASE_URL"], connect_args={"check_same_thread": False, "timeout": 30}
)
SQLModel.metadata.create_all(engine)
app = FastAPI()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/orders", status_code=201)
def create_order(data: NaiveOrderIn) -> NaiveOrder:
    with Session(engine) as session:
        order = NaiveOrder.model_validate(data)
        session.add(order)
        session.commit()
        session.refresh(order)
        return order
