"""Out-of-order commits on PostgreSQL: events leave in id order, a hole waits only so long."""

from __future__ import annotations

from datetime import UTC, datetime

from dispatch.events.bus import EventMessage
from dispatch.live.sequencer import Sequencer


def ev(i: int) -> EventMessage:
    at = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    return EventMessage(i, 1, "WO-1", "note_added", "t", None, at, {}, ("jindi-property",))


def ids(messages: list[EventMessage]) -> list[int]:
    return [m.id for m in messages]


def test_event_behind_a_hole_waits_for_the_late_commit_and_keeps_id_order() -> None:
    seq = Sequencer(10, grace=1.0, late_window=60)
    assert ids(seq.accept([ev(11), ev(13)], [], now=0.0)) == [11]  # 12 not committed yet
    assert seq.deadline() == 1.0
    assert ids(seq.accept([ev(12), ev(13)], [], now=0.2)) == [12, 13]
    assert seq.deadline() is None and seq.cursor == 13


def test_a_hole_that_never_fills_is_skipped_after_the_grace_and_watched_for_a_while() -> None:
    seq = Sequencer(10, grace=1.0, late_window=60)
    assert ids(seq.accept([ev(12)], [], now=0.0)) == []
    assert ids(seq.accept([ev(12)], [], now=1.0)) == [12]  # 11 rolled back, or very slow
    assert seq.watched == [11]
    assert ids(seq.accept([], [ev(11)], now=5.0)) == [11]  # late, but not lost
    assert seq.watched == []
    assert ids(seq.accept([ev(12), ev(13)], [], now=6.0)) == [13]  # never twice


def test_watched_ids_are_forgotten_after_the_late_window() -> None:
    seq = Sequencer(0, grace=0.0, late_window=10)
    seq.accept([ev(2)], [], now=0.0)
    assert seq.watched == [1]
    seq.accept([], [], now=11.0)
    assert seq.watched == []
