"""A leader out on site hears of a meeting without the page open: push and SMS to the leader
on duty of each invited team when it is called, when it is called off, and once more two
hours before it starts, however many schedulers look."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from escalation.recurring.jobs import meeting_reminders
from escalation.runtime import EscalationRuntime
from tests.builders.desk import operator, supervisor
from tests.builders.notices import notices
from tests.meetings.test_consultation_meetings import call


def test_the_invited_leaders_get_one_notice_for_a_meeting_about_three_orders(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    desk = operator(client)
    numbers = [desk.create_order()["number"] for _ in range(3)]
    boss = supervisor(client)
    meeting = call(boss, numbers[0], clock, also_orders=numbers[1:]).json()

    called = notices(db, f"meeting:{meeting['id']}:meeting_called")

    # Three teams invited, each leader told once by push and once by SMS.
    assert len(called) == 6
    assert {channel for channel, _, _ in called} == {"push", "sms"}
    assert len({recipient for _, recipient, _ in called}) == 6
    message = called[0][2]
    assert message.startswith("【协商会议】金地花园D区消防通道反复堵塞｜")
    assert "街道综治中心二楼会议室" in message and "金地物业" in message

    boss.post(f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "问题已解决"})
    cancelled = notices(db, f"meeting:{meeting['id']}:meeting_cancelled")
    assert len(cancelled) == 6 and cancelled[0][2].endswith("原因：问题已解决")


def test_a_refused_meeting_tells_no_one(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    assert call(supervisor(client), number, clock, teams=["ghostbusters"]).status_code == 422
    assert notices(db, "meeting:") == []


def test_the_reminder_goes_out_once_two_hours_before_even_with_two_schedulers(
    client: TestClient, clock: FrozenClock, db: Database, settings: Settings, database_url: str
) -> None:
    number = operator(client).create_order()["number"]
    starts = clock.now() + timedelta(hours=5)
    meeting = call(supervisor(client), number, clock, starts_at=starts.isoformat()).json()
    rt = EscalationRuntime.load(db, settings, clock)
    other = Database(database_url)

    assert meeting_reminders(db, clock.now(), "a", rt.recurring) == 0  # five hours ahead
    clock.advance(timedelta(hours=3, minutes=1))  # 1 h 59 min before
    ran = [meeting_reminders(d, clock.now(), n, rt.recurring) for d, n in ((db, "a"), (other, "b"))]
    other.dispose()

    assert ran == [1, 0]
    reminded = notices(db, f"meeting:{meeting['id']}:reminder")
    assert len(reminded) == 6 and reminded[0][2].startswith("【协商会议提醒】")
