"""日报: one local day's intake, progress, late orders, escalations and callbacks."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.reports.daily import DailySummary, daily_summary
from tests.builders.desk import operator, supervisor
from tests.reports.scene import busy_morning, local

TZ = "Asia/Shanghai"
SATURDAY, SUNDAY = date(2026, 11, 21), date(2026, 11, 22)


def _summary(db: Database, day: date, clock: FrozenClock) -> DailySummary:
    with db.session() as session:
        return daily_summary(session, day, TZ, clock.now())


def test_intake_counts_every_call_of_the_local_day_by_channel_and_category(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    sunday = _summary(db, SUNDAY, clock)

    assert sunday.received == 5  # the 00:10 call is Sunday's; the merged duplicate counts
    assert sunday.answered_at_desk == 0
    assert sunday.by_channel == {
        "phone": 3,
        "sms": 1,
        "12345": 0,
        "web": 1,
        "patrol": 0,
        "open311": 0,
    }
    assert [(c.category.code, c.count) for c in sunday.by_category] == [
        ("fire_lane", 3),
        ("drain_blocked", 1),
        ("other", 1),
    ]
    assert sunday.by_category[0].category.name == "消防通道堵塞"


def test_progress_counts_each_order_once_per_step_taken_that_day(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    sunday = _summary(db, SUNDAY, clock)
    # Dispatched: the four routed on Sunday (the duplicate before it was merged).
    # Accepted: the late one and the satisfied one; Saturday's was accepted on Saturday.
    # Resolved and closed: Saturday's order and the satisfied one, both on Sunday morning.
    assert sunday.progress == {"dispatched": 4, "accepted": 2, "resolved": 2, "closed": 2}


def test_late_orders_are_the_deadlines_of_that_day_missed_or_met_too_late(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)
    sunday = _summary(db, SUNDAY, clock)

    late = [(o.number, o.due_kind, o.done_at is not None) for o in sunday.late]
    assert late == [
        (orders["late_accept"], "accept", True),  # accepted at 00:30, due 00:25
        (orders["saturday"], "resolve", True),  # due 03:30, resolved at 08:05
        (orders["late_accept"], "resolve", False),  # due 04:10, still open
        (orders["drain"], "accept", False),  # due 08:15, the water company never signed
        (orders["drain"], "resolve", False),  # due 10:00
    ]
    drain = sunday.late[3]
    assert drain.team is not None and drain.team.code == "water-company"
    assert drain.category.name_en == "Blocked drain or sewer" and drain.status == "dispatched"


def test_today_counts_only_the_deadlines_that_have_already_passed(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)
    with db.session() as session:
        at_nine = daily_summary(session, SUNDAY, TZ, local(22, 9, 0))

    assert not at_nine.complete and at_nine.as_of == local(22, 9, 0)
    assert (orders["drain"], "resolve") not in [(o.number, o.due_kind) for o in at_nine.late]
    assert len(at_nine.late) == 4


def test_escalations_and_callback_verdicts_of_the_day(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    orders = busy_morning(client, clock)
    sunday = _summary(db, SUNDAY, clock)

    assert sunday.escalation_counts == {"escalated": 0, "urged": 1}
    assert [(e["kind"], e["order_number"]) for e in sunday.escalations] == [
        ("urged", orders["drain"])
    ]
    assert sunday.escalations[0]["data"]["reason"] == "居民再次来电"
    assert sunday.satisfaction == {"satisfied": 1, "partly": 1, "unsatisfied": 0}
    assert (sunday.callbacks, sunday.satisfaction_rate) == (2, 0.5)


def test_yesterday_is_complete_and_holds_only_its_own_calls(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    busy_morning(client, clock)
    saturday = _summary(db, SATURDAY, clock)

    assert saturday.complete and saturday.as_of == local(22, 0, 0)
    assert saturday.received == 1 and saturday.by_channel["phone"] == 1
    assert saturday.progress == {"dispatched": 1, "accepted": 1, "resolved": 0, "closed": 0}
    assert saturday.late == [] and saturday.escalations == []
    assert saturday.satisfaction_rate is None  # no callbacks: no rate


def test_the_calls_the_desk_answered_itself_count_apart(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    desk = operator(client)
    question = {"category": "other", "description": "咨询老年食堂开放时间", "address": {}}
    desk.create_order(**question, answered_at_desk="每天11点至13点")
    waiting = desk.create_order(**question)["number"]  # in triage, answered after ringing back
    assert desk.act(waiting, "answer", {"answer": "每天11点至13点"}).status_code == 200
    desk.create_order(**question)  # still waiting in triage
    desk.create_order()  # a team's
    sunday = _summary(db, SUNDAY, clock)
    assert (sunday.received, sunday.answered_at_desk) == (4, 2)
    answer = supervisor(client).get("/api/v1/reports/daily", params={"day": "2026-11-22"})
    assert answer.json()["answered_at_desk"] == 2
