"""The 12345 platform pushes orders here, signed; repeats and old versions are harmless.
It fetches the scene photos of a 办结 here too, by the signed links it was sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from dispatch.deps import ClockDep, RowId, SessionDep, SettingsDep
from dispatch.settings import Settings
from hotline.intake import IntakeDep
from hotline.signing import verify
from hotline.upstream_12345 import photo_links
from hotline.upstream_12345 import service as upstream
from hotline.upstream_12345.schemas import UpstreamOrderAck, UpstreamOrderIn

router = APIRouter(prefix="/hotline/12345", tags=["hotline: 12345 platform"])


async def signed_order(request: Request) -> UpstreamOrderIn:
    """The order, once `X-12345-Signature` over `timestamp.body` checks out and is fresh."""
    settings: Settings = request.app.state.settings
    body = await request.body()
    verify(
        settings.upstream_12345_secret,
        request.headers.get("X-12345-Timestamp"),
        request.headers.get("X-12345-Signature"),
        body,
        request.app.state.clock.now(),
    )
    try:
        return UpstreamOrderIn.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from exc


SignedOrder = Annotated[UpstreamOrderIn, Depends(signed_order)]


@router.post(
    "/orders",
    response_model=UpstreamOrderAck,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "a repeat, an update, or an older version (ignored)"},
        401: {"description": "missing or stale signature (more than 5 minutes)"},
        403: {"description": "bad signature"},
    },
)
def receive_order(
    data: SignedOrder,
    session: SessionDep,
    clock: ClockDep,
    intake: IntakeDep,
    response: Response,
) -> UpstreamOrderAck:
    """受理 a 12345 order: 201 the first time; 200 with the same order for any repeat."""
    ack = upstream.receive(session, data, intake, clock.now())
    if ack.outcome != "created":
        response.status_code = status.HTTP_200_OK
    return ack


async def signed_photo_link(
    photo_id: RowId,
    settings: SettingsDep,
    clock: ClockDep,
    expires: Annotated[
        int | None, Query(ge=0, description="unix seconds: the link opens until then")
    ] = None,
    sig: Annotated[
        str, Query(max_length=200, description="hex HMAC-SHA256 of `expires.photo:<id>`")
    ] = "",
) -> int:
    """The seconds the link has left. Checked before the unit of work opens: a flood of
    forged links costs no database connection."""
    secret = settings.upstream_12345_secret
    return photo_links.check(secret, photo_id, expires, sig, clock.now())


@router.get(
    "/photos/{photo_id}",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "the picture (JPEG)"},
        403: {"description": "missing or bad `sig`, or the link has expired (`expires`)"},
        404: {"description": "no such photo of a 12345 order"},
        410: {"description": "the picture was moved to the desk's photo archive"},
    },
)
def scene_photo(
    seconds_left: Annotated[int, Depends(signed_photo_link)],  # first: before the session
    photo_id: RowId,
    session: SessionDep,
) -> Response:
    """现场照片 of a 12345 order, from the link in its 办结 feedback; no login."""
    jpeg = upstream.scene_picture(session, photo_id)
    # A photo never changes; a copy kept no longer than the link would still open.
    headers = {"Cache-Control": f"private, max-age={seconds_left}"}
    return Response(jpeg, media_type="image/jpeg", headers=headers)
