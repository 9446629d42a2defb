"""Tunables of the push hub, read once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.settings import Settings


@dataclass(frozen=True)
class LiveConfig:
    heartbeat_seconds: float = 15.0
    queue_size: int = 1000  # per connection; overflowing it earns a resync
    poll_seconds: float = 1.0  # fallback tail when no wake-up arrives (missed NOTIFY, CLI writes)
    gap_grace_seconds: float = 1.0  # how long a later event waits for an earlier id to commit
    late_window_seconds: float = 60.0  # how long a skipped id is still watched for
    handshake_seconds: float = 10.0  # time allowed for the first message when no token in query
    stall_seconds: float = 10.0  # a connection stuck after a resync is cut after this long
    batch_size: int = 500
    recheck_seconds: float = 15.0  # how late a locked-out user's open socket may be closed

    @classmethod
    def from_settings(cls, settings: Settings) -> LiveConfig:
        return cls(
            heartbeat_seconds=settings.live_heartbeat_seconds,
            queue_size=settings.live_queue_size,
            poll_seconds=settings.live_poll_seconds,
            gap_grace_seconds=settings.live_gap_grace_seconds,
            recheck_seconds=settings.live_recheck_seconds,
        )
