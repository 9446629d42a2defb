"""现场照片: pictures of an order's scene, stored with the order in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from dispatch.database import UTCDateTime


class OrderPhoto(SQLModel, table=True):
    """In the database rather than on a disk beside one instance: every API instance serves
    it, and a backup of the database holds the whole order."""

    __tablename__ = "order_photo"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    actor: str = Field(max_length=100)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    team_code: str | None = Field(default=None, foreign_key="team.code", max_length=64)
    caption: str = Field(default="", max_length=200)
    width: int
    height: int
    image: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # empty once archived
    thumbnail: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Of `image` as stored, kept from upload so the 12345 办结 tells them without reading the
    # picture and the archive can tell a damaged one. None only for a photo stored before
    # migration 0017 that was already archived (or, unexpectedly, not backfilled).
    sha256: str | None = Field(default=None, max_length=64)
    size_bytes: int | None = None
    # `dispatch photos archive` moved the full picture to a file: where, under the archive.
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    archived_as: str | None = Field(default=None, max_length=300)
