"""Moving the full pictures of long-closed orders out of the database into files, so it does
not grow by tens of gigabytes a year: a folder per order with its JPEGs and a manifest; the
thumbnails stay, so the order page still shows what was photographed.

Files first, the database after: a picture leaves the database only once its file has been
written, synced and read back identical, and with the sha256 it was stored with: an order with
a picture whose copy in the database no longer has it stays there whole, named for a person to
see to, and the run goes on with the next order. A run cut short leaves some files whose
pictures are still in the database; the next run writes them again and goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from dispatch.database import Database
from dispatch.orders.models import OrderStatus, WorkOrder
from dispatch.photos.models import OrderPhoto

MANIFEST = "photos.json"


class ArchiveRefused(Exception):
    """The archive folder cannot be used, or a file would not read back: the order being
    moved stays in the database whole (the orders before it have moved)."""


class PhotoDamaged(ArchiveRefused):
    """A picture no longer has the sha256 it was stored with: its order stays in the database,
    and the others move (one damaged picture must not stop every night's archive)."""


@dataclass
class Archived:
    orders: int = 0
    photos: int = 0
    bytes: int = 0
    damaged: list[str] = field(default_factory=list)  # why each order left behind was


def archive_photos(
    db: Database, *, closed_before: datetime, target: Path, now: datetime, dry_run: bool = False
) -> Archived:
    """The photos of orders closed before `closed_before`, one order per transaction."""
    if not dry_run:
        _check_target(target)
    done = Archived()
    for order_id, number in _orders_to_archive(db, closed_before):
        try:
            with db.session(write=True) as session:
                photos = session.exec(
                    select(OrderPhoto)
                    .where(OrderPhoto.order_id == order_id, col(OrderPhoto.archived_at).is_(None))
                    .order_by(col(OrderPhoto.id))
                ).all()
                if not photos:
                    continue
                size = sum(len(p.image) for p in photos)  # before the move empties them
                if not dry_run:
                    _move(session, number, list(photos), target, now)
                done.orders += 1
                done.photos += len(photos)
                done.bytes += size
        except PhotoDamaged as exc:  # its transaction rolled back: the order stays whole
            done.damaged.append(str(exc))
    return done


def _check_target(target: Path) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target, prefix=".probe."):
            pass
    except OSError as exc:
        raise ArchiveRefused(f"cannot write to {target}: {exc.strerror or exc}") from exc


def _orders_to_archive(db: Database, closed_before: datetime) -> list[tuple[int, str]]:
    with db.session() as session:
        rows = session.exec(
            select(WorkOrder.id, WorkOrder.number)
            .where(
                WorkOrder.status == OrderStatus.closed,
                col(WorkOrder.closed_at) < closed_before,
                col(WorkOrder.id).in_(
                    select(OrderPhoto.order_id).where(col(OrderPhoto.archived_at).is_(None))
                ),
            )
            .order_by(col(WorkOrder.id))
        ).all()
    return [(order_id, number) for order_id, number in rows if order_id is not None]


def _move(
    session: Session, number: str, photos: list[OrderPhoto], target: Path, now: datetime
) -> None:
    folder = target / number
    folder.mkdir(exist_ok=True)
    entries: dict[str, dict[str, Any]] = defaultdict(dict)
    manifest = folder / MANIFEST
    if manifest.exists():
        for entry in json.loads(manifest.read_text("utf-8")):
            entries[entry["file"]] = entry
    for photo in photos:
        name = f"{photo.id}.jpg"
        sha256 = _write_checked(folder / name, photo.image)
        if photo.sha256 is not None and sha256 != photo.sha256:
            (folder / name).unlink()  # a copy of the damage is no archive of the photo
            raise PhotoDamaged(
                f"photo {photo.id} of order {number} does not match the sha256 it was stored"
                f" with ({photo.sha256}, now {sha256}): its copy in the database is damaged;"
                " it stays there, and so do the order's other photos"
            )
        entries[name] = {
            "file": name,
            "photo_id": photo.id,
            "order": number,
            "at": photo.at.isoformat(),
            "actor": photo.actor,
            "team": photo.team_code,
            "caption": photo.caption,
            "width": photo.width,
            "height": photo.height,
            "sha256": sha256,
        }
    _write_checked(manifest, _manifest_text(entries).encode())
    for photo in photos:
        photo.image = b""
        photo.archived_at = now
        photo.archived_as = f"{number}/{photo.id}.jpg"
        session.add(photo)


def _manifest_text(entries: dict[str, dict[str, Any]]) -> str:
    ordered = sorted(entries.values(), key=lambda e: e["photo_id"])
    return json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"


def _write_checked(path: Path, data: bytes) -> str:
    """Whole or not at all (temporary file, fsync, rename), then read back: the sha256 of
    what the file holds."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    written = path.read_bytes()
    if written != data:
        raise ArchiveRefused(f"{path} does not read back as written")
    return hashlib.sha256(written).hexdigest()
