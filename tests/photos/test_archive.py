"""Photos of orders closed long ago leave the database for files (it would grow by tens of
gigabytes a year): each full picture is written, synced and read back before it goes; the
thumbnails stay, and the API says where the full picture went (410)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.photos.archive import MANIFEST, Archived, ArchiveRefused, archive_photos
from dispatch.photos.models import OrderPhoto
from dispatch.settings import REPO_ROOT
from tests.builders.desk import Person, leader, operator, supervisor
from tests.builders.pictures import camera_jpeg, small_png
from tests.photos.test_photos import send_photo


def closed_with_photos(client: TestClient) -> tuple[str, list[int]]:
    desk, jindi = operator(client), leader(client)
    number = desk.create_order()["number"]
    jindi.act(number, "accept")
    ids = [
        send_photo(jindi, number, picture, content_type=kind).json()["id"]
        for picture, kind in ((camera_jpeg(800, 600), "image/jpeg"), (small_png(), "image/png"))
    ]
    jindi.act(number, "resolve", {"result": "电动车已挪走"})
    assert desk.act(number, "callback", {"satisfaction": "satisfied"}).json()["status"] == "closed"
    return number, ids


def archive_closed(
    db: Database, clock: FrozenClock, target: Path, *, days: int = 1, dry_run: bool = False
) -> Archived:
    """Archive the orders closed before `days` from now."""
    cutoff = clock.now() + timedelta(days=days)
    return archive_photos(db, closed_before=cutoff, target=target, now=clock.now(), dry_run=dry_run)


def damage(db: Database, photo_id: int) -> None:
    """A picture whose bytes change in the database after it was stored (a failing disk, a
    botched restore): one bit of its last byte flips."""
    with db.session(write=True) as session:
        photo = session.get(OrderPhoto, photo_id)
        assert photo is not None and photo.image
        photo.image = photo.image[:-1] + bytes([photo.image[-1] ^ 1])
        session.add(photo)


def full(person: Person, number: str, photo_id: int) -> bytes | int:
    answer = person.get(f"/api/v1/orders/{number}/photos/{photo_id}")
    return answer.content if answer.status_code == 200 else answer.status_code


def test_the_photos_of_a_closed_order_move_to_files_and_their_thumbnails_stay(
    client: TestClient, clock: FrozenClock, db: Database, tmp_path: Path
) -> None:
    number, ids = closed_with_photos(client)
    still_open = operator(client).create_order(description="另一处消防通道")["number"]
    open_photo = send_photo(supervisor(client), still_open, camera_jpeg(400, 300)).json()["id"]
    boss = supervisor(client)
    pictures = {i: full(boss, number, i) for i in ids}
    archive = tmp_path / "photo-archive"

    done = archive_closed(db, clock, archive)

    assert (done.orders, done.photos) == (1, 2)
    assert done.bytes == sum(len(p) for p in pictures.values() if isinstance(p, bytes))
    manifest = json.loads((archive / number / "photos.json").read_text("utf-8"))
    assert [e["photo_id"] for e in manifest] == ids
    for entry in manifest:
        kept = (archive / number / entry["file"]).read_bytes()
        assert kept == pictures[entry["photo_id"]]
        assert entry["sha256"] == hashlib.sha256(kept).hexdigest()
    gone = boss.get(f"/api/v1/orders/{number}/photos/{ids[0]}")
    assert gone.status_code == 410 and gone.json()["error"]["field"] == "photo_id"
    thumbnail = boss.get(f"/api/v1/orders/{number}/photos/{ids[0]}", params={"size": "thumbnail"})
    assert thumbnail.status_code == 200 and thumbnail.content[:2] == b"\xff\xd8"
    listed = boss.get(f"/api/v1/orders/{number}/photos").json()
    assert all(p["archived_at"] is not None for p in listed)
    assert isinstance(full(boss, still_open, open_photo), bytes)  # an open order keeps its

    assert archive_closed(db, clock, archive) == Archived()  # nothing left to move


def test_a_dry_run_counts_and_moves_nothing(
    client: TestClient, clock: FrozenClock, db: Database, tmp_path: Path
) -> None:
    number, ids = closed_with_photos(client)
    later = clock.now() + timedelta(days=1)

    done = archive_photos(
        db, closed_before=later, target=tmp_path / "a", now=clock.now(), dry_run=True
    )

    assert (done.orders, done.photos) == (1, 2)
    assert not (tmp_path / "a").exists()
    assert isinstance(full(supervisor(client), number, ids[0]), bytes)
    earlier = archive_photos(
        db, closed_before=clock.now() - timedelta(days=1), target=tmp_path / "b", now=clock.now()
    )
    assert earlier == Archived()  # closed today: not before yesterday


def test_a_photo_that_no_longer_matches_its_stored_sha256_stays_and_the_rest_move_on(
    client: TestClient, clock: FrozenClock, db: Database, tmp_path: Path
) -> None:
    number, ids = closed_with_photos(client)
    damage(db, ids[1])
    sound, sound_ids = closed_with_photos(client)
    archive = tmp_path / "photo-archive"

    done = archive_closed(db, clock, archive)

    (why,) = done.damaged
    assert why.startswith(f"photo {ids[1]} of order {number} does not match")
    boss = supervisor(client)
    assert all(isinstance(full(boss, number, i), bytes) for i in ids)  # the whole order stays
    assert not (archive / number / f"{ids[1]}.jpg").exists()  # no copy of the damage
    assert not (archive / number / MANIFEST).exists()
    # One damaged picture does not hold up the orders after it.
    assert (done.orders, done.photos) == (1, 2)
    assert [full(boss, sound, i) for i in sound_ids] == [410, 410]


def test_a_folder_that_cannot_be_written_is_refused_before_anything_moves(
    client: TestClient, clock: FrozenClock, db: Database, tmp_path: Path
) -> None:
    number, ids = closed_with_photos(client)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(ArchiveRefused):
        archive_photos(
            db, closed_before=clock.now() + timedelta(days=1), target=not_a_folder, now=clock.now()
        )
    assert isinstance(full(supervisor(client), number, ids[0]), bytes)


def test_the_archive_command_says_what_it_moved(sqlite_template: Path, tmp_path: Path) -> None:
    live = tmp_path / "hotline.db"
    shutil.copyfile(sqlite_template, live)
    command = [sys.executable, "-m", "dispatch.cli", "photos", "archive"]
    command += ["--to", str(tmp_path / "archive"), "--closed-before", "2026-01-01"]
    env = {"DATABASE_URL": f"sqlite:///{live}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "moved 0 photos (0 bytes) of 0 orders closed before 2026-01-01" in done.stdout
