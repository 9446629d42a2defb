"""What the invited teams are told of a meeting, on their leader's phone (push and SMS): a
leader out on site hears of it without the page open. Queued in the transaction that records
the meeting's event (registered with `db.bus.on_recorded`), so no meeting is announced that
was not stored, and none stored goes unannounced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from dispatch.events.bus import EventBus, EventMessage
from dispatch.events.models import EventKind
from dispatch.meetings.models import ConsultationMeeting
from dispatch.notify.service import push_and_sms
from dispatch.teams.models import Team
from dispatch.teams.service import on_duty_leader

HEADINGS = {
    EventKind.meeting_called.value: "【协商会议】",
    EventKind.meeting_cancelled.value: "【协商会议取消】",
    EventKind.meeting_moved.value: "【协商会议改期】",
}


def local_time(when: datetime, timezone: str) -> str:
    return when.astimezone(ZoneInfo(timezone)).strftime("%m月%d日 %H:%M")


def meeting_text(
    session: Session, meeting: ConsultationMeeting, heading: str, timezone: str, tail: str = ""
) -> str:
    """`tail` is added after the teams (a move's former time and its reason)."""
    names = []
    for code in meeting.teams:
        team = session.get(Team, code)
        names.append(team.name if team else code)
    when = local_time(meeting.starts_at, timezone)
    text = f"{heading}{meeting.topic}｜{when}｜{meeting.place}｜参会：{'、'.join(names)}{tail}"
    if meeting.cancel_reason:
        text += f"｜原因：{meeting.cancel_reason}"
    return text


def moved_tail(data: dict[str, Any], timezone: str) -> str:
    """What a move changed, from its event: the leader compares with what he wrote down."""
    before = local_time(datetime.fromisoformat(data["from_starts_at"]), timezone)
    if data.get("from_place") != data.get("place"):
        before += f"，{data['from_place']}"
    return f"｜原定：{before}｜原因：{data['reason']}"


def tell_invited_teams(
    session: Session,
    meeting: ConsultationMeeting,
    text: str,
    *,
    now: datetime,
    timezone: str,
    ref: str,
    teams: Sequence[str] | None = None,
) -> list[str]:
    """Push and SMS to the leader on duty of each invited team; returns who was told."""
    told: list[str] = []
    for code in meeting.teams if teams is None else teams:
        leader = on_duty_leader(session, code, now, timezone)
        if leader is None:
            continue
        told += push_and_sms(session, leader, text, now=now, ref=ref)
    return told


class MeetingNotices:
    """The bus handler: a meeting about three orders is one event per order, one notice."""

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone

    def __call__(self, orm_session: OrmSession, message: EventMessage) -> None:
        heading = HEADINGS.get(message.kind)
        if heading is None:
            return
        session = orm_session
        assert isinstance(session, Session)  # the desk's units of work are SQLModel sessions
        meeting_id = message.data.get("meeting_id")
        ref = f"meeting:{meeting_id}:{message.kind}"
        tail = ""
        if message.kind == EventKind.meeting_moved.value:
            # A meeting may move more than once: each move is news of its own.
            ref += f":{message.data['starts_at']}"
            tail = moved_tail(message.data, self.timezone)
        sent: set[str] = session.info.setdefault("meeting_notices", set())
        if ref in sent:
            return
        sent.add(ref)
        meeting = session.get(ConsultationMeeting, meeting_id)
        if meeting is None:
            return
        text = meeting_text(session, meeting, heading, self.timezone, tail)
        tell_invited_teams(session, meeting, text, now=message.at, timezone=self.timezone, ref=ref)


def install_notices(bus: EventBus, timezone: str) -> None:
    bus.on_recorded_once("meeting_notices", MeetingNotices(timezone))
