"""The photo archive runs by itself every night: photos of orders closed over 90 days ago
leave the database for files, once a night however many schedulers run, and a night that
fails says so in the status and leaves every photo it did not finish in the database."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.photos.models import OrderPhoto
from dispatch.settings import Settings
from escalation.recurring.models import RecurringRun
from escalation.recurring.photo_archive import JOB
from escalation.scheduler import EscalationScheduler
from tests.builders.desk import token
from tests.photos.test_archive import closed_with_photos, damage

DESK = ZoneInfo("Asia/Shanghai")
# The demo orders close on 2026-11-22; 90 whole days after that day is the night of 02-21.
NIGHT_TOO_SOON = date(2027, 2, 20)
NIGHT_DUE = date(2027, 2, 21)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "photo-archive"


@pytest.fixture
def settings(settings: Settings, archive: Path) -> Settings:
    return settings.model_copy(update={"photo_archive_dir": archive})


def night(day: date, at: dt_time = dt_time(3, 31)) -> datetime:
    return datetime.combine(day, at, DESK)


def in_database(db: Database, ids: list[int]) -> list[bool]:
    """Whether each photo's full picture is still in the database."""
    with db.session() as session:
        photos = session.exec(select(OrderPhoto).where(col(OrderPhoto.id).in_(ids))).all()
        return [bool(p.image) and p.archived_at is None for p in sorted(photos, key=by_id)]


def by_id(photo: OrderPhoto) -> int:
    return photo.id or 0


def picture_bytes(db: Database, ids: list[int]) -> int:
    with db.session() as session:
        return sum(len(p.image) for p in session.exec(select(OrderPhoto)).all() if p.id in ids)


def runs(db: Database) -> dict[str, RecurringRun]:
    with db.session() as session:
        rows = session.exec(select(RecurringRun).where(RecurringRun.job == JOB)).all()
        return {r.period_key: r for r in rows}


def detail_of(db: Database, day: date) -> str:
    run = runs(db).get(day.isoformat())
    return "" if run is None else run.detail


def archive_status(client: TestClient) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token(client, 'supervisor.zhang')}"}
    answer = client.get("/api/v1/status", headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = {c["name"]: c for c in answer.json()["checks"]}["photo_archive"]
    return found


def test_photos_of_orders_closed_three_months_ago_leave_the_database_at_night(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    db: Database,
    archive: Path,
) -> None:
    number, ids = closed_with_photos(client)
    size = picture_bytes(db, ids)
    assert archive_status(client)["detail"].startswith("not run yet")

    clock.set(night(NIGHT_TOO_SOON))
    assert scheduler.photo_archive() is True  # no baseline: a first start archives what is due
    assert in_database(db, ids) == [True, True]  # closed 89 days before: not yet

    clock.set(night(NIGHT_DUE, dt_time(3, 29)))
    assert scheduler.photo_archive() is False  # still the night before's: it ran
    clock.set(night(NIGHT_DUE))
    assert scheduler.photo_archive() is True

    assert in_database(db, ids) == [False, False]
    assert sorted(p.name for p in (archive / number).iterdir()) == sorted(
        ["photos.json", *(f"{i}.jpg" for i in ids)]
    )
    nights = runs(db)
    assert nights[NIGHT_TOO_SOON.isoformat()].detail.startswith(
        "moved 0 photos (0 bytes) of 0 orders closed before 2026-11-22"
    )
    assert nights[NIGHT_DUE.isoformat()].detail == (
        f"moved 2 photos ({size} bytes) of 1 orders closed before 2026-11-23 to {archive}"
    )
    status = archive_status(client)
    assert status["ok"] is True
    assert status["detail"].startswith("2027-02-21 03:31: moved 2 photos")


def test_the_archive_runs_once_a_night_with_two_schedulers(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    database_url: str,
    db: Database,
    archive: Path,
) -> None:
    number, ids = closed_with_photos(client)
    clock.set(night(NIGHT_DUE))
    other_db = Database(database_url)  # its own engine, as in another process
    other = EscalationScheduler(
        dataclasses.replace(scheduler.runtime, db=other_db), worker_id="test-2"
    )
    ran: dict[str, bool] = {}
    start = threading.Barrier(2)

    def night_shift(name: str, one: EscalationScheduler) -> None:
        start.wait()
        ran[name] = one.photo_archive()

    threads = [
        threading.Thread(target=night_shift, args=(one.worker_id, one))
        for one in (scheduler, other)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    other_db.dispose()

    assert sorted(ran.values()) == [False, True]
    assert in_database(db, ids) == [False, False]
    (only,) = runs(db).values()
    assert only.worker == next(name for name, did in ran.items() if did)
    assert only.detail.startswith("moved 2 photos")
    assert len(list((archive / number).glob("*.jpg"))) == 2


def test_an_unwritable_archive_folder_is_reported_and_moves_nothing(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    db: Database,
    archive: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    number, ids = closed_with_photos(client)
    archive.write_text("a file where the folder should be")
    clock.set(night(NIGHT_DUE))

    with caplog.at_level(logging.ERROR, logger="escalation.recurring.photo_archive"):
        assert scheduler.photo_archive() is True  # the night is claimed, with its failure
    assert f"cannot write to {archive}" in caplog.text
    assert in_database(db, ids) == [True, True]
    detail = detail_of(db, NIGHT_DUE)
    assert detail.startswith(f"failed: ArchiveRefused: cannot write to {archive}")
    assert "0 photos of 0 orders moved" in detail
    status = archive_status(client)
    assert status["ok"] is False and status["count"] == 1 and status["since"] is not None
    assert "cannot write to" in status["detail"]
    assert scheduler.photo_archive() is False  # not again every minute: the next night

    archive.unlink()  # the admin fixes the folder
    clock.set(night(date(2027, 2, 22)))
    assert scheduler.photo_archive() is True
    assert in_database(db, ids) == [False, False]
    assert (archive / number / "photos.json").exists()
    assert archive_status(client)["ok"] is True


def test_a_night_cut_short_keeps_each_order_whole_and_the_next_night_goes_on(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    db: Database,
    archive: Path,
) -> None:
    _, first_ids = closed_with_photos(client)
    second, second_ids = closed_with_photos(client)
    archive.mkdir()
    (archive / second).write_text("in the way of the second order's folder")
    clock.set(night(NIGHT_DUE))

    assert scheduler.photo_archive() is True

    assert in_database(db, first_ids) == [False, False]
    assert in_database(db, second_ids) == [True, True]  # its transaction rolled back whole
    detail = detail_of(db, NIGHT_DUE)
    assert detail.startswith("failed: FileExistsError")
    assert "2 photos of 1 orders moved before it" in detail
    assert archive_status(client)["ok"] is False

    (archive / second).unlink()
    clock.set(night(date(2027, 2, 22)))
    assert scheduler.photo_archive() is True
    assert in_database(db, second_ids) == [False, False]
    assert detail_of(db, date(2027, 2, 22)).startswith("moved 2 photos")


def test_a_damaged_photo_fails_the_night_by_name_and_its_order_stays_in_the_database(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    db: Database,
) -> None:
    damaged_number, damaged_ids = closed_with_photos(client)
    damage(db, damaged_ids[0])
    clock.set(night(NIGHT_DUE))

    assert scheduler.photo_archive() is True

    assert in_database(db, damaged_ids) == [True, True]
    detail = detail_of(db, NIGHT_DUE)
    assert detail.startswith(
        f"failed: 1 orders kept, photo {damaged_ids[0]} of order {damaged_number}"
        " does not match the sha256 it was stored with"
    )
    assert "; moved 0 photos (0 bytes) of 0 orders closed before" in detail
    status = archive_status(client)
    assert status["ok"] is False and "its copy in the database is damaged" in status["detail"]


def test_no_archive_folder_means_no_archive(
    client: TestClient,
    scheduler: EscalationScheduler,
    clock: FrozenClock,
    settings: Settings,
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, ids = closed_with_photos(client)
    off = settings.model_copy(update={"photo_archive_dir": None})
    unset = EscalationScheduler(
        dataclasses.replace(scheduler.runtime, settings=off), worker_id="test-off"
    )
    clock.set(night(NIGHT_DUE))

    assert unset.photo_archive() is False
    with caplog.at_level(logging.INFO, logger="escalation.scheduler"):
        unset.start_background()
        unset.shutdown()
    assert caplog.text.count("photo archive off: set HOTLINE_PHOTO_ARCHIVE_DIR") == 1
    assert in_database(db, ids) == [True, True]
    assert runs(db) == {}
    assert archive_status(client)["detail"].startswith("not run yet")


def test_a_scheduler_started_after_the_hour_archives_that_night_at_once(
    client: TestClient, scheduler: EscalationScheduler, clock: FrozenClock, db: Database
) -> None:
    _, ids = closed_with_photos(client)
    clock.set(night(NIGHT_DUE, dt_time(9, 0)))  # down at 03:30: started in the morning
    scheduler.start_background()
    try:
        deadline = time.monotonic() + 20
        while not detail_of(db, NIGHT_DUE).startswith("moved"):
            assert time.monotonic() < deadline, runs(db)
            time.sleep(0.05)
    finally:
        scheduler.shutdown()
    assert in_database(db, ids) == [False, False]
