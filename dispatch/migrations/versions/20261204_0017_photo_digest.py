"""现场照片: each photo's sha256 and size in bytes, kept from the moment it is stored, so the
12345 办结 and the photo archive need not read a picture to know them

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 00:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A desk holds gigabytes of pictures: a batch at a time (about 60 MB of JPEGs), never all.
BACKFILL_BATCH = 200

order_photo = sa.table(
    "order_photo",
    sa.column("id", sa.Integer()),
    sa.column("image", sa.LargeBinary()),
    sa.column("sha256", sa.String(length=64)),
    sa.column("size_bytes", sa.Integer()),
)


def upgrade() -> None:
    with op.batch_alter_table("order_photo") as batch:
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("size_bytes", sa.Integer(), nullable=True))
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    """The photos still holding their picture; an archived one (emptied) keeps NULL: its
    digest is in the archive's manifest, and nothing here can compute it again."""
    after = 0
    while True:
        rows = connection.execute(
            sa.select(order_photo.c.id, order_photo.c.image)
            .where(
                order_photo.c.id > after,
                order_photo.c.sha256.is_(None),
                sa.func.length(order_photo.c.image) > 0,
            )
            .order_by(order_photo.c.id)
            .limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            order_photo.update()
            .where(order_photo.c.id == sa.bindparam("photo_id"))
            .values(sha256=sa.bindparam("digest"), size_bytes=sa.bindparam("size")),
            [
                {
                    "photo_id": photo_id,
                    "digest": hashlib.sha256(image).hexdigest(),
                    "size": len(image),
                }
                for photo_id, image in rows
            ],
        )
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("order_photo") as batch:
        batch.drop_column("size_bytes")
        batch.drop_column("sha256")
