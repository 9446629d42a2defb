"""How escalation plugs into the app (found by dispatch.main by module name)."""

from __future__ import annotations

from fastapi import FastAPI

from dispatch.clock import Clock
from dispatch.database import Database
from dispatch.main import BackgroundService
from dispatch.notify.registry import build_notifier
from dispatch.settings import Settings
from escalation import models as _models  # noqa: F401  (tables in the metadata)
from escalation.api import router
from escalation.policies.calendar_status import calendar_check
from escalation.recurring.photo_archive import last_archive_check
from escalation.runtime import EscalationRuntime
from escalation.scheduler import EscalationScheduler
from escalation.timers.handlers import DeadlineKeeper
from escalation.timers.lag import overdue_steps


def install(
    app: FastAPI, db: Database, settings: Settings, clock: Clock
) -> list[BackgroundService]:
    runtime = EscalationRuntime.load(db, settings, clock)  # a broken config refuses to start
    db.bus.on_recorded(DeadlineKeeper(runtime.config))
    app.include_router(router)
    app.state.escalation = runtime
    app.state.status_checks += [
        overdue_steps,
        last_archive_check(settings.timezone),
        calendar_check(lambda: runtime.config),
    ]
    app.state.team_references.append(runtime.config.steps_naming)
    if not settings.run_scheduler_in_process:
        return []
    # Built now rather than at the first delivery: a notifier or push provider named but not
    # installed stops the start, instead of every message failing in the night.
    scheduler = EscalationScheduler(runtime, notifier=build_notifier(settings, db))
    app.state.escalation_scheduler = scheduler
    return [scheduler]
