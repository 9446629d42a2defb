"""`dispatch scheduler`: the scheduler on its own, beside one or more API processes."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Annotated

import typer

scheduler_app = typer.Typer(help="Run the escalation scheduler (sweeper, deliveries, recurring).")


@scheduler_app.callback(invoke_without_command=True)
def run_scheduler(
    once: Annotated[bool, typer.Option(help="Run each job once and exit.")] = False,
) -> None:
    """Sweep due escalation steps, deliver notifications and run recurring care work."""
    from dispatch.clock import SystemClock
    from dispatch.database import Database
    from dispatch.settings import get_settings
    from escalation import models as _models  # noqa: F401
    from escalation.runtime import EscalationRuntime
    from escalation.scheduler import EscalationScheduler
    from escalation.timers.handlers import DeadlineKeeper

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    db = Database(settings.database_url)
    runtime = EscalationRuntime.load(db, settings, SystemClock())
    # Steps that reassign or reopen write events: deadlines must follow them here too.
    db.bus.on_recorded(DeadlineKeeper(runtime.config))
    scheduler = EscalationScheduler(runtime)
    if once:
        ran = scheduler.sweep()
        scheduler.deliver()
        scheduler.recurring()
        typer.echo(f"ran {len(ran)} escalation steps")
        db.dispose()
        return
    stopped = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler.start_background()
    typer.echo(f"escalation scheduler running as {scheduler.worker_id}; Ctrl-C to stop")
    stopped.wait()
    scheduler.shutdown()
    db.dispose()
