"""The 12345 platform pushes orders here, signed; repeats and old versions are harmless."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from dispatch.deps import ClockDep, SessionDep
from dispatch.settings import Settings
from hotline.intake import IntakeDep
from hotline.signing import verify
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
