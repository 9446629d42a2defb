"""改期: the property company's manager is away on the day, so the supervisor moves the fire
lane meeting to the day after. The meeting keeps its number, every order's timeline says from
when to when and why, each invited leader hears of it once, and the two-hours-before reminder
follows the new time, even back to the time it had."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import col, select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from escalation.recurring.jobs import RecurringContext, meeting_reminders
from escalation.recurring.models import RecurringRun
from escalation.runtime import EscalationRuntime
from tests.builders.desk import Person, leader, operator, supervisor
from tests.builders.notices import notices
from tests.meetings.test_consultation_meetings import call, timeline_kinds

REASON = "物业公司负责人当天出差"


def move(boss: Person, meeting_id: int, starts_at: datetime | str, **overrides: Any) -> Any:
    when = starts_at if isinstance(starts_at, str) else starts_at.isoformat()
    body = {"starts_at": when, "reason": REASON, **overrides}
    return boss.post(f"/api/v1/meetings/{meeting_id}/reschedule", json=body)


def moved_events(person: Person, number: str) -> list[dict[str, Any]]:
    events = person.get(f"/api/v1/orders/{number}/timeline").json()["data"]
    return [e for e in events if e["kind"] == "meeting_moved"]


def reminded_once(
    db: Database, now: datetime, ctx: RecurringContext, meeting_id: int
) -> list[tuple[str, str, str]]:
    """Two schedulers pass: the first reminds, the second finds it done. Returns every
    reminder of the meeting so far."""
    assert meeting_reminders(db, now, "a", ctx) == 1
    assert meeting_reminders(db, now, "b", ctx) == 0
    return notices(db, f"meeting:{meeting_id}:reminder")


def test_supervisor_moves_a_meeting_and_every_order_timeline_says_so(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    numbers = [desk.create_order()["number"] for _ in range(2)]
    meeting = call(boss, numbers[0], clock, also_orders=numbers[1:]).json()
    later = clock.now() + timedelta(days=2)

    moved = move(boss, meeting["id"], later, place="街道便民服务中心三楼")

    assert moved.status_code == 200, moved.text
    shown = moved.json()
    assert shown["id"] == meeting["id"] and shown["status"] == "planned"
    assert datetime.fromisoformat(shown["starts_at"]) == later
    assert shown["place"] == "街道便民服务中心三楼" and shown["orders"] == numbers
    for number in numbers:
        assert timeline_kinds(boss, number)[-1] == "meeting_moved"
        data = moved_events(boss, number)[-1]["data"]
        assert data["meeting_id"] == meeting["id"] and data["topic"] == meeting["topic"]
        assert datetime.fromisoformat(data["from_starts_at"]) == datetime.fromisoformat(
            meeting["starts_at"]
        )
        assert datetime.fromisoformat(data["starts_at"]) == later
        assert data["from_place"] == "街道综治中心二楼会议室"
        assert data["place"] == "街道便民服务中心三楼" and data["reason"] == REASON

    # Without a place, only the time moves.
    again = move(boss, meeting["id"], later + timedelta(hours=1), reason="  改到下午  ")
    assert again.status_code == 200, again.text
    assert again.json()["place"] == "街道便民服务中心三楼"
    last = moved_events(boss, numbers[1])[-1]["data"]
    assert last["from_place"] == last["place"] and last["reason"] == "改到下午"
    invited = leader(client).get(f"/api/v1/meetings/{meeting['id']}").json()
    assert datetime.fromisoformat(invited["starts_at"]) == later + timedelta(hours=1)


def test_a_held_or_cancelled_meeting_cannot_be_moved(
    client: TestClient, clock: FrozenClock
) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    held = call(boss, number, clock).json()["id"]
    boss.post(f"/api/v1/meetings/{held}/outcome", json={"outcome": "物业划定停放区"})
    cancelled = call(boss, number, clock).json()["id"]
    boss.post(f"/api/v1/meetings/{cancelled}/cancel", json={"reason": "问题已解决"})

    for meeting_id, status in ((held, "held"), (cancelled, "cancelled")):
        refused = move(boss, meeting_id, clock.now() + timedelta(days=3))
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["field"] == "meeting"
        assert refused.json()["error"]["current_status"] == status
    assert "meeting_moved" not in timeline_kinds(boss, number)
    assert move(boss, 999999, clock.now() + timedelta(days=3)).status_code == 404


def test_moving_to_the_past_or_to_the_same_time_is_refused_and_nothing_changes(
    client: TestClient, clock: FrozenClock, db: Database
) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    meeting = call(boss, number, clock).json()
    tomorrow = clock.now() + timedelta(days=1)

    for starts_at, overrides, field in (
        (clock.now() - timedelta(minutes=1), {}, "starts_at"),  # a call may; a move may not
        (clock.now() + timedelta(days=91), {}, "starts_at"),
        ("2026-11-24T09:30:00", {}, "starts_at"),  # no time zone
        (meeting["starts_at"], {}, "starts_at"),  # nothing changes
        (meeting["starts_at"], {"place": meeting["place"]}, "starts_at"),
        (tomorrow, {"reason": "   "}, "reason"),
        (tomorrow, {"reason": ""}, "reason"),
        (tomorrow, {"place": ""}, "place"),
        (tomorrow, {"place": "  "}, "place"),
        (tomorrow, {"teams": ["water-company"]}, "teams"),  # a move invites no one
    ):
        refused = move(boss, meeting["id"], starts_at, **overrides)
        assert refused.status_code == 422, (starts_at, overrides, refused.text)
        assert refused.json()["error"]["field"] == field, (starts_at, overrides)
    no_reason = boss.post(
        f"/api/v1/meetings/{meeting['id']}/reschedule", json={"starts_at": tomorrow.isoformat()}
    )
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"

    assert boss.get(f"/api/v1/meetings/{meeting['id']}").json() == meeting
    assert "meeting_moved" not in timeline_kinds(boss, number)
    assert notices(db, "meeting_moved") == []
    # Only the place changes: that is a move, at the same time.
    by_place = move(boss, meeting["id"], meeting["starts_at"], place="金地花园物业服务中心")
    assert by_place.status_code == 200, by_place.text


def test_only_supervisors_move_a_meeting(client: TestClient, clock: FrozenClock) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    meeting = call(boss, number, clock).json()
    later = clock.now() + timedelta(days=2)

    assert move(leader(client), meeting["id"], later).status_code == 403  # even invited
    assert move(operator(client), meeting["id"], later).status_code == 403
    assert boss.get(f"/api/v1/meetings/{meeting['id']}").json() == meeting


def test_team_leaders_hear_of_the_move_once_and_are_reminded_before_the_new_time(
    client: TestClient, clock: FrozenClock, db: Database, settings: Settings
) -> None:
    desk, boss = operator(client), supervisor(client)
    numbers = [desk.create_order()["number"] for _ in range(3)]
    starts = clock.now() + timedelta(hours=5)
    meeting = call(boss, numbers[0], clock, starts_at=starts.isoformat(), also_orders=numbers[1:])
    meeting_id = meeting.json()["id"]
    rt = EscalationRuntime.load(db, settings, clock)
    clock.advance(timedelta(hours=3, minutes=1))  # 1 h 59 min before
    assert meeting_reminders(db, clock.now(), "a", rt.recurring) == 1
    assert len(notices(db, f"meeting:{meeting_id}:reminder")) == 6

    # Moved a day on: told once per leader and channel, though it is about three orders.
    boss = supervisor(client)  # logged in again: three hours on, the morning's token expired
    moved = move(boss, meeting_id, starts + timedelta(days=1))
    assert moved.status_code == 200, moved.text
    told = notices(db, f"meeting:{meeting_id}:meeting_moved")
    assert len(told) == 6 and {channel for channel, _, _ in told} == {"push", "sms"}
    assert len({recipient for _, recipient, _ in told}) == 6
    message = told[0][2]
    assert message.startswith("【协商会议改期】金地花园D区消防通道反复堵塞｜11月23日 15:30｜")
    assert message.endswith(f"｜原定：11月22日 15:30｜原因：{REASON}")
    assert meeting_reminders(db, clock.now(), "a", rt.recurring) == 0  # a day ahead now

    # Moved again, with the place: a notice of its own.
    second = move(boss, meeting_id, starts + timedelta(days=1, hours=1), place="街道便民服务中心")
    assert second.status_code == 200, second.text
    told = notices(db, f"meeting:{meeting_id}:meeting_moved")
    assert len(told) == 12
    assert told[-1][2].endswith(f"｜原定：11月23日 15:30，街道综治中心二楼会议室｜原因：{REASON}")

    # Two hours before the new time, reminded again, once, of the new time.
    clock.advance(timedelta(days=1, hours=1))
    reminded = reminded_once(db, clock.now(), rt.recurring, meeting_id)
    assert len(reminded) == 12
    assert reminded[-1][2].startswith(
        "【协商会议提醒】金地花园D区消防通道反复堵塞｜11月23日 16:30｜"
    )


def test_a_meeting_moved_away_and_back_is_reminded_again_before_it_starts(
    client: TestClient, clock: FrozenClock, db: Database, settings: Settings
) -> None:
    boss = supervisor(client)
    number = operator(client).create_order()["number"]
    starts = clock.now() + timedelta(hours=5)
    meeting_id = call(boss, number, clock, starts_at=starts.isoformat()).json()["id"]
    rt = EscalationRuntime.load(db, settings, clock)
    clock.advance(timedelta(hours=3, minutes=1))  # 1 h 59 min before
    assert meeting_reminders(db, clock.now(), "a", rt.recurring) == 1

    # The manager's trip is off after all: moved to tomorrow, then back to this afternoon,
    # whose reminder went out before the first move.
    boss = supervisor(client)  # logged in again: three hours on, the morning's token expired
    assert move(boss, meeting_id, starts + timedelta(days=1)).status_code == 200
    back = move(boss, meeting_id, starts, reason="负责人行程取消，按原定时间召开")
    assert back.status_code == 200, back.text
    assert len(notices(db, f"meeting:{meeting_id}:meeting_moved")) == 12  # two moves heard

    reminded = reminded_once(db, clock.now(), rt.recurring, meeting_id)
    assert len(reminded) == 12
    assert reminded[-1][2].startswith(
        "【协商会议提醒】金地花园D区消防通道反复堵塞｜11月22日 15:30｜"
    )

    # Only the place changes: still the same stay at that time, of which they were reminded
    # (the move's own notice gives them the new place).
    by_place = move(boss, meeting_id, starts, place="金地花园物业服务中心")
    assert by_place.status_code == 200, by_place.text
    assert meeting_reminders(db, clock.now(), "a", rt.recurring) == 0

    # The first reminder's key is the one a meeting never moved had before moves were
    # counted: a desk upgraded within the two hours does not remind of it twice.
    with db.session() as session:
        keys = session.exec(
            select(RecurringRun.period_key)
            .where(RecurringRun.job == "meeting_reminder")
            .order_by(col(RecurringRun.id))
        ).all()
    at = starts.astimezone(UTC).isoformat()
    assert keys == [f"{meeting_id}:{at}", f"{meeting_id}:{at}:2"]
