"""What the escalation parts share at run time: the config, the step context, the clock."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from dispatch.clock import Clock
from dispatch.database import Database
from dispatch.notify.worker import DeliveryPolicy
from dispatch.settings import Settings
from escalation.policies.config import EscalationConfig, load_config
from escalation.recurring.jobs import RecurringContext
from escalation.recurring.photo_archive import NightlyArchive
from escalation.timers.batch import StepContext


@dataclass(frozen=True)
class EscalationRuntime:
    db: Database
    settings: Settings
    clock: Clock
    config: EscalationConfig

    @classmethod
    def load(cls, db: Database, settings: Settings, clock: Clock) -> EscalationRuntime:
        return cls(db, settings, clock, load_config(settings.config_dir / "escalation.yaml"))

    @property
    def tick(self) -> timedelta:
        return timedelta(seconds=self.settings.escalation_sweep_seconds)

    @property
    def steps(self) -> StepContext:
        return StepContext(config=self.config, timezone=self.settings.timezone)

    @property
    def recurring(self) -> RecurringContext:
        return RecurringContext(
            spec=self.config.recurring,
            timezone=self.settings.timezone,
            number_prefix=self.settings.order_number_prefix,
        )

    @property
    def photo_archive(self) -> NightlyArchive:
        return NightlyArchive(
            folder=self.settings.photo_archive_dir,
            after_days=self.settings.photo_archive_after_days,
            at=self.config.recurring.photo_archive.at,
            timezone=self.settings.timezone,
        )

    @property
    def delivery(self) -> DeliveryPolicy:
        n = self.config.notifications
        return DeliveryPolicy(
            max_attempts=n.max_attempts, backoff_base=n.backoff_base, backoff_max=n.backoff_max
        )


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]
