"""语音留言: the night's voicemail, heard from the order page by whoever may see the order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from dispatch.deps import CurrentUser, SessionDep
from dispatch.error_handlers import ErrorBody
from dispatch.orders.service import get_visible_order
from hotline.twilio.recordings import MP3, TwilioRecordings, chunks
from hotline.voicemail.service import require_voicemail

router = APIRouter(prefix="/api/v1/orders", tags=["hotline: voicemail"])


async def get_recordings(request: Request) -> TwilioRecordings:
    recordings: TwilioRecordings = request.app.state.twilio_recordings
    return recordings


RecordingsDep = Annotated[TwilioRecordings, Depends(get_recordings)]
RecordingSid = Annotated[
    str, Path(pattern=r"^RE[0-9a-fA-F]{32}$", description="Twilio's RecordingSid (RE…)")
]


class TwilioAudio(Response):
    """Asks Twilio only once the route has returned, so its database session is closed by
    then: a slow Twilio holds none of the few sessions (dispatch.deps.MAX_OPEN_SESSIONS).
    Twilio's refusal is still raised before anything is sent, in the one error shape."""

    def __init__(self, recordings: TwilioRecordings, recording_sid: str) -> None:
        super().__init__(media_type=MP3)
        self.recordings, self.recording_sid = recordings, recording_sid

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await run_in_threadpool(self.recordings.open_mp3, self.recording_sid)
        headers = {"Cache-Control": "private, no-store"}
        if "content-length" in answer.headers and "content-encoding" not in answer.headers:
            headers["Content-Length"] = answer.headers["content-length"]  # as it is sent on
        audio = StreamingResponse(chunks(answer), media_type=MP3, headers=headers)
        await audio(scope, receive, send)


@router.get(
    "/{ref}/recordings/{recording_sid}",
    response_class=Response,
    responses={
        200: {"content": {MP3: {}}, "description": "the recording, streamed from Twilio"},
        404: {"model": ErrorBody, "description": "no such order, or no such voicemail on it"},
        502: {"model": ErrorBody, "description": "Twilio cannot be reached or refused"},
    },
)
def voicemail_audio(
    ref: str,
    recording_sid: RecordingSid,
    session: SessionDep,
    user: CurrentUser,
    recordings: RecordingsDep,
) -> Response:
    """The voicemail a caller left on this order, as MP3; the audio is never stored here."""
    require_voicemail(session, get_visible_order(session, user, ref), recording_sid)
    return TwilioAudio(recordings, recording_sid)
