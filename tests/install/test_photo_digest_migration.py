"""A desk upgraded to keeping each photo's sha256 and size (migration 0017) gets them for the
photos already in its database, a batch at a time; an archived photo has no picture left to
hash and keeps none."""

from __future__ import annotations

import hashlib
from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.migrate import alembic_config
from dispatch.photos.models import OrderPhoto
from tests.builders.desk import leader, operator
from tests.builders.pictures import camera_jpeg
from tests.photos.test_archive import archive_closed, closed_with_photos
from tests.photos.test_photos import send_photo

BEFORE_DIGESTS = "0016"
STORED_BEFORE = 250  # more than one batch of the backfill (200)


def test_an_upgraded_desk_keeps_the_digest_of_every_photo_still_in_its_database(
    client: TestClient, db: Database, database_url: str, clock: FrozenClock, tmp_path: Path
) -> None:
    _, archived = closed_with_photos(client)
    assert archive_closed(db, clock, tmp_path / "photo-archive").photos == len(archived)
    number = operator(client).create_order()["number"]
    sent = send_photo(leader(client), number, camera_jpeg(400, 300), caption="井盖破损")
    assert sent.status_code == 201, sent.text
    config = alembic_config(database_url)

    command.downgrade(config, BEFORE_DIGESTS)  # the desk as it was before 0017
    with db.session(write=True) as session:
        # Photos stored then: each its own picture, so each digest tells them apart.
        session.execute(
            text(
                "INSERT INTO order_photo (order_id, at, actor, caption, width, height, image,"
                " thumbnail) SELECT order_id, at, actor, caption, width, height, :image,"
                " thumbnail FROM order_photo WHERE id = :photo_id"
            ),
            [
                {"photo_id": sent.json()["id"], "image": f"现场照片 {n}".encode()}
                for n in range(STORED_BEFORE)
            ],
        )
    command.upgrade(config, "heads")

    with db.session() as session:
        photos = session.exec(select(OrderPhoto).order_by(col(OrderPhoto.id))).all()
    in_database = [p for p in photos if p.id not in archived]
    assert len(in_database) == STORED_BEFORE + 1
    assert [(p.sha256, p.size_bytes) for p in in_database] == [
        (hashlib.sha256(p.image).hexdigest(), len(p.image)) for p in in_database
    ]
    assert [(p.sha256, p.size_bytes) for p in photos if p.id in archived] == [(None, None)] * 2
