"""A unit of work that ends in a refusal rolls back, unless it marked its writes to stay."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dispatch.auth.models import LoginFailure
from dispatch.clock import FrozenClock
from dispatch.database import Database, keep_on_refusal
from dispatch.errors import NotAuthenticated


def _count(db: Database) -> int:
    with db.session() as session:
        return len(session.exec(select(LoginFailure)).all())


def test_a_refusal_rolls_back_what_the_unit_wrote(db: Database, clock: FrozenClock) -> None:
    with pytest.raises(NotAuthenticated), db.session(write=True) as session:
        session.add(LoginFailure(key="address:10.0.0.1", at=clock.now()))
        session.flush()
        raise NotAuthenticated("wrong password")
    assert _count(db) == 0


def test_a_refusal_keeps_what_the_unit_marked_to_keep(db: Database, clock: FrozenClock) -> None:
    with pytest.raises(NotAuthenticated), db.session(write=True) as session:
        session.add(LoginFailure(key="address:10.0.0.1", at=clock.now()))
        keep_on_refusal(session)
        raise NotAuthenticated("wrong password")
    assert _count(db) == 1


def test_a_fault_rolls_back_even_what_was_marked(db: Database, clock: FrozenClock) -> None:
    with pytest.raises(RuntimeError), db.session(write=True) as session:
        session.add(LoginFailure(key="address:10.0.0.1", at=clock.now()))
        keep_on_refusal(session)
        raise RuntimeError("a bug")
    assert _count(db) == 0
