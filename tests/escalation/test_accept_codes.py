"""A leader accepts by replying to the SMS with its code; wrong and stale codes say why."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from escalation.codes.service import AcceptOutcome, accept_by_code
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import leader, operator
from tests.escalation.helpers import chain, deliveries, order_by_number

LEADER_PHONE = "13800000101"  # leader.jindi, on the day shift


def _code_sent(db: Database, number: str) -> str:
    sms = next(d for d in deliveries(db, number) if d.channel == "sms")
    found = re.search(r"签收 (\d{6})", sms.message)
    assert found, sms.message
    return found.group(1)


def test_leader_accepts_by_replying_with_the_code_and_the_chain_stops(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=5))
    scheduler.sweep()
    code = _code_sent(db, number)

    with db.session(write=True) as session:
        result = accept_by_code(session, f"签收 {code}", LEADER_PHONE, clock.now())
    assert result.ok and result.order_number == number and number in result.reply
    assert order_by_number(db, number).status == "accepted"
    assert ("call_leader", "cancelled") in chain(db, number, "accept")

    with db.session(write=True) as session:
        again = accept_by_code(session, code, LEADER_PHONE, clock.now())
    assert again.outcome == AcceptOutcome.already_accepted and not again.ok


def test_wrong_foreign_and_expired_codes_get_a_clear_answer(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=5))
    scheduler.sweep()
    code = _code_sent(db, number)
    wrong = "000000" if code != "000000" else "111111"
    with db.session(write=True) as session:
        assert accept_by_code(session, wrong, LEADER_PHONE, clock.now()).outcome == (
            AcceptOutcome.unknown_code
        )
        # The right code from another phone is as good as unknown.
        other = accept_by_code(session, code, "13800000111", clock.now())
        assert other.outcome == AcceptOutcome.unknown_code and "无效" in other.reply
    clock.advance(timedelta(hours=25))
    with db.session(write=True) as session:
        late = accept_by_code(session, code, LEADER_PHONE, clock.now())
    assert late.outcome == AcceptOutcome.expired and number in late.reply
    assert order_by_number(db, number).status == "dispatched"


def test_code_for_an_order_accepted_in_the_app_is_stale(
    client: TestClient, db: Database, clock: FrozenClock, scheduler: EscalationScheduler
) -> None:
    number = operator(client).create_order()["number"]
    clock.advance(timedelta(minutes=5))
    scheduler.sweep()
    code = _code_sent(db, number)
    leader(client).act(number, "accept")
    with db.session(write=True) as session:
        result = accept_by_code(session, code, LEADER_PHONE, clock.now())
    assert result.outcome == AcceptOutcome.already_accepted
