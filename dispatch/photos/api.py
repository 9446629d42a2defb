"""HTTP routes for an order's photos: the picture is the request body, not a form."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from pydantic import BaseModel

from dispatch.deps import BearerToken, ClockDep, CurrentUser, RowId, SessionDep
from dispatch.errors import InvalidInput
from dispatch.orders import service as orders
from dispatch.orders.actors import Actor
from dispatch.phones import mask_phones
from dispatch.photos import service as photos
from dispatch.photos.images import ACCEPTED_TYPES, FIELD
from dispatch.photos.models import OrderPhoto

router = APIRouter(prefix="/api/v1/orders", tags=["photos"])
# The one route whose body may be larger than the API's usual limit (dispatch/limits.py).
PHOTO_UPLOAD_PATH = r"/api/v1/orders/[^/]+/photos$"


class PhotoPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    team_code: str | None
    caption: str
    width: int
    height: int
    url: str
    thumbnail_url: str
    archived_at: datetime | None = None  # the full picture is in the photo archive (410)


_SHOWN = {"id", "at", "actor", "team_code", "width", "height", "archived_at"}


def _public(number: str, photo: OrderPhoto, *, for_team: bool) -> PhotoPublic:
    url = f"/api/v1/orders/{number}/photos/{photo.id}"
    return PhotoPublic(
        **photo.model_dump(include=_SHOWN),
        caption=mask_phones(photo.caption) if for_team else photo.caption,
        url=url,
        thumbnail_url=url + "?size=thumbnail",
    )


async def picture_sent(
    request: Request,
    _token: BearerToken,  # refused without one before the body is read; checked later
    content_type: Annotated[str, Header()] = "",
) -> bytes:
    """The request body as it came: the picture is not JSON. Read before the unit of work
    opens, so a slow upload over a phone's network holds no database connection (nor, on
    SQLite, the writer)."""
    if content_type.split(";")[0].strip().lower() not in ACCEPTED_TYPES:
        accepted = ", ".join(ACCEPTED_TYPES)
        raise InvalidInput(f"Content-Type must be one of {accepted}", field=FIELD)
    return await request.body()


_PICTURE_BODY = {
    "required": True,
    "description": "The picture itself (JPEG, PNG or WebP). It is kept re-encoded as JPEG, "
    "upright, at most 1600 px on its long side, without its EXIF (place, phone).",
    "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED_TYPES},
}


@router.post(
    "/{ref}/photos",
    response_model=PhotoPublic,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={"requestBody": _PICTURE_BODY},
)
def add_photo(
    ref: str,
    picture: Annotated[bytes, Depends(picture_sent)],  # first: before the session opens
    session: SessionDep,
    user: CurrentUser,
    clock: ClockDep,
    caption: Annotated[str, Query(max_length=200, examples=["挪车后的消防通道"])] = "",
) -> PhotoPublic:
    """现场照片: a picture of the scene, before, during or after. It joins the order's
    timeline and reaches its teams' pages and the board at once."""
    order = orders.get_visible_order(session, user, ref)
    photo = photos.add_photo(session, order, Actor.of(user), clock.now(), picture, caption)
    return _public(order.number, photo, for_team=user.role.is_team_role)


@router.get("/{ref}/photos", response_model=list[PhotoPublic])
def list_photos(ref: str, session: SessionDep, user: CurrentUser) -> list[PhotoPublic]:
    order = orders.get_visible_order(session, user, ref)
    team = user.role.is_team_role
    return [_public(order.number, p, for_team=team) for p in photos.photos_of(session, order)]


@router.get(
    "/{ref}/photos/{photo_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "the picture (JPEG)"}},
)
def get_photo(
    ref: str,
    photo_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    size: Annotated[str, Query(pattern="^(full|thumbnail)$")] = "full",
) -> Response:
    order = orders.get_visible_order(session, user, ref)
    jpeg = photos.picture(session, order, photo_id, thumbnail=size == "thumbnail")
    # A photo never changes once taken; private: it is behind a login.
    headers = {"Cache-Control": "private, max-age=86400, immutable"}
    return Response(jpeg, media_type="image/jpeg", headers=headers)
