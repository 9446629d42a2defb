"""The nightly photo archive: `dispatch photos archive` run by the scheduler, so a desk that
forgets it does not grow by tens of gigabytes a year.

Unlike the care jobs (`_periodic`), the night is claimed in a transaction of its own before
the archive starts, and there is no baseline:
- the archive commits order by order, files first, which cannot happen inside the claim's
  transaction (on SQLite it would wait for its own write lock; on PostgreSQL a failure would
  roll back the claim and so the record of the failure, and every minute would try again);
- the baseline is there so that a fresh install does not send out past notices; archiving is
  no notice and repeating it is harmless, so what is due is archived on the first start (the
  admin who has just set the folder learns within a minute whether it works), then nightly.
A failed night stays claimed with its failure, to be seen in GET /api/v1/status, and the next
night tries again: an unwritable folder needs a person, not a retry every minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import distinct
from sqlmodel import Session, col, func, select

from dispatch.database import Database
from dispatch.photos.archive import ArchiveRefused, archive_photos
from dispatch.photos.models import OrderPhoto
from dispatch.status.checks import Check, StatusCheck
from escalation.recurring.jobs import claim_period, record_detail
from escalation.recurring.models import RecurringRun
from escalation.recurring.periods import latest_daily

log = logging.getLogger(__name__)

JOB = "photo_archive"
RUNNING = "running"
FAILED = "failed"


@dataclass(frozen=True)
class NightlyArchive:
    folder: Path | None  # None: the desk has not chosen where, so nothing is archived
    after_days: int
    at: str  # "HH:MM", local time
    timezone: str

    def closed_before(self, night: date) -> datetime:
        """Local midnight `after_days` before the night: `--closed-before` of the command."""
        day = night - timedelta(days=self.after_days)
        return datetime.combine(day, time(), ZoneInfo(self.timezone))


def archive_night(db: Database, now: datetime, worker: str, plan: NightlyArchive) -> bool:
    """Archive for the latest night unless it ran (or is running); True if this call did."""
    if plan.folder is None:
        return False
    night = latest_daily(now, plan.at, plan.timezone)
    key = night.isoformat()
    closed_before = plan.closed_before(night)
    what = f"orders closed before {closed_before.date()} to {plan.folder}"
    with db.session(write=True) as session:
        if not claim_period(session, JOB, key, now, worker, f"{RUNNING}: {what}"):
            return False
    try:
        done = archive_photos(db, closed_before=closed_before, target=plan.folder, now=now)
    except Exception as exc:
        # A refused folder is for a person to fix and its message says all; anything else
        # is a fault whose traceback is wanted.
        trace = not isinstance(exc, ArchiveRefused)
        log.error("photo archive for %s failed: %s", key, exc, exc_info=trace)
        photos, orders = _moved_at(db, now)
        detail = (
            f"{FAILED}: {type(exc).__name__}: {exc}; {photos} photos of {orders} orders moved"
            " before it, the rest stay in the database for the next night"
        )
    else:
        detail = f"moved {done.photos} photos ({done.bytes} bytes) of {done.orders} {what}"
        if done.damaged:
            # Not ok until seen to: each night moves the rest and names these again.
            detail = f"{FAILED}: {len(done.damaged)} orders kept, {done.damaged[0]}; {detail}"
            log.error("photo archive for %s %s", key, detail)
        else:
            log.info("photo archive for %s %s", key, detail)
    with db.session(write=True) as session:
        record_detail(session, JOB, key, detail)
    return True


def _moved_at(db: Database, now: datetime) -> tuple[int, int]:
    """Photos and orders a run cut short had moved: each moved order committed on its own."""
    with db.session() as session:
        photos, orders = session.exec(
            select(func.count(), func.count(distinct(col(OrderPhoto.order_id)))).where(
                col(OrderPhoto.archived_at) == now
            )
        ).one()
    return int(photos), int(orders)


def last_archive_check(timezone: str) -> StatusCheck:
    """For GET /api/v1/status: when the last archive ran and what it moved, or why it
    failed (not ok until a later night succeeds)."""
    zone = ZoneInfo(timezone)

    def photo_archive(session: Session, now: datetime) -> Check:
        last = session.exec(
            select(RecurringRun)
            .where(RecurringRun.job == JOB)
            .order_by(col(RecurringRun.period_key).desc())
            .limit(1)
        ).first()
        if last is None:
            return Check(JOB, ok=True, detail="not run yet: HOTLINE_PHOTO_ARCHIVE_DIR turns it on")
        detail = f"{last.ran_at.astimezone(zone):%Y-%m-%d %H:%M}: {last.detail}"
        if last.detail.startswith(FAILED):
            return Check(JOB, ok=False, detail=detail, count=1, since=last.ran_at)
        return Check(JOB, ok=True, detail=detail)

    return photo_archive
