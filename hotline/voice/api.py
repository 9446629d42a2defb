"""Twilio voice webhooks: thin routes, each a step of the call answered with TwiML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from dispatch.deps import ClockDep, SessionDep, SettingsDep
from hotline.intake import IntakeDep
from hotline.twilio.signature import TwilioParams
from hotline.voice import service as calls
from hotline.voice.script import IvrScript
from hotline.voice.twiml import Twiml
from hotline.voicemail.service import voicemail_note

router = APIRouter(prefix="/hotline/voice", tags=["hotline: voice"])
VOICEMAIL_RESULTS = frozenset({"leave", "queue-full", "error", "system-error"})


def get_script(request: Request) -> IvrScript:
    script: IvrScript = request.app.state.ivr_script
    return script


ScriptDep = Annotated[IvrScript, Depends(get_script)]


class CallTurn:
    """One webhook of a call in progress: its record (opened on first sight) and its voice."""

    def __init__(
        self,
        params: TwilioParams,
        session: SessionDep,
        clock: ClockDep,
        settings: SettingsDep,
        script: ScriptDep,
        intake: IntakeDep,
    ) -> None:
        self.params, self.session, self.script, self.intake = params, session, script, intake
        self.now = clock.now()
        self.call = calls.open_call(session, params, intake, self.now)
        self.base_url = settings.public_base_url

    def twiml(self) -> Twiml:
        """In the call's language as it is now (9 at the menu switches it)."""
        return Twiml(self.script, self.base_url, self.call.language)


Turn = Annotated[CallTurn, Depends()]


def _xml(body: str) -> Response:
    return Response(content=body, media_type="application/xml")


@router.post("/incoming")
def incoming(turn: Turn) -> Response:
    """A call comes in: greet in Mandarin and offer the menu (keys or speech)."""
    return _xml(turn.twiml().menu(greet=True))


@router.post("/menu")
def menu(turn: Turn) -> Response:
    """The caller pressed a key or spoke; no answer at all goes to an operator."""
    key = turn.params.get("Digits", "").strip()[:1]
    speech = calls.speech_of(turn.params)
    answer, choice = calls.answer_menu(
        turn.session, turn.call, key, speech, turn.script, turn.intake, turn.now
    )
    twiml = turn.twiml()
    if answer is calls.MenuAnswer.english:
        return _xml(twiml.menu(greet=True))
    if answer is calls.MenuAnswer.unknown_key:
        return _xml(twiml.menu(greet=False, apology=True))
    if answer is calls.MenuAnswer.progress:
        return _xml(
            twiml.progress(calls.progress_lines(turn.session, turn.call, turn.script, turn.now))
        )
    if answer is calls.MenuAnswer.describe:
        return _xml(twiml.describe(emergency=bool(choice and choice.remind_emergency)))
    return _xml(twiml.enqueue())


@router.post("/speech")
def speech(turn: Turn) -> Response:
    """The caller described the problem (or said nothing): the order is made, then the queue."""
    words = calls.speech_of(turn.params)
    calls.take_description(turn.session, turn.call, words, turn.script, turn.intake, turn.now)
    return _xml(turn.twiml().enqueue())


@router.post("/wait")
def wait(
    params: TwilioParams,
    session: SessionDep,
    settings: SettingsDep,
    script: ScriptDep,
) -> Response:
    """Hold music for the queue (Twilio's waitUrl); after the configured time, leave it."""
    call = calls.find_call(session, params.get("CallSid", ""))
    language = call.language if call else "zh-CN"
    seconds = params.get("QueueTime", "0")
    waited = int(seconds) if seconds.isdigit() else 0
    return _xml(Twiml(script, settings.public_base_url, language).hold(waited))


@router.post("/queue-exit")
def queue_exit(turn: Turn) -> Response:
    """The call left the queue: answered (bridged) ends here; nobody free means voicemail."""
    call = turn.call
    result = turn.params.get("QueueResult", "")[:32]
    if result in VOICEMAIL_RESULTS:
        calls.move(turn.session, call, "voicemail", turn.now, queue_result=result)
        return _xml(turn.twiml().voicemail())
    step = "answered" if result == "bridged" else call.step
    calls.move(turn.session, call, step, turn.now, queue_result=result)
    return _xml(turn.twiml().empty())


@router.post("/voicemail")
def voicemail_done(turn: Turn) -> Response:
    """The <Record> finished: thank the caller; the recording itself arrives by callback."""
    url = turn.params.get("RecordingUrl", "")[:500] or turn.call.recording_url
    calls.move(turn.session, turn.call, "voicemail_left", turn.now, recording_url=url)
    return _xml(turn.twiml().goodbye("thanks"))


@router.post("/recording")
def recording(params: TwilioParams, session: SessionDep, clock: ClockDep) -> Response:
    """Recording status callback: the voicemail attaches to the call's order as a note."""
    call = calls.find_call(session, params.get("CallSid", ""))
    if call is not None and params.get("RecordingStatus", "completed") == "completed":
        url, sid = params.get("RecordingUrl", ""), params.get("RecordingSid", "")
        note = voicemail_note(sid, url, params.get("RecordingDuration", ""))
        marker = f"recording:{params.get('RecordingSid', url)}"
        calls.note_on_call_order(session, call, clock.now(), marker, note)
    return _xml(Twiml.empty())


@router.post("/transcription")
def transcription(params: TwilioParams, session: SessionDep, clock: ClockDep) -> Response:
    """Transcription callback: the voicemail's text attaches to the order as a note."""
    call = calls.find_call(session, params.get("CallSid", ""))
    text = params.get("TranscriptionText", "").strip()
    if call is not None and text and params.get("TranscriptionStatus", "completed") == "completed":
        calls.note_on_call_order(
            session,
            call,
            clock.now(),
            f"transcription:{params.get('TranscriptionSid', '')}",
            {
                "text": f"留言转写：{text}"[:4000],
                "source": "voicemail_transcription",
                "recording_url": params.get("RecordingUrl", ""),
            },
        )
    return _xml(Twiml.empty())


@router.post("/status")
def status(turn: Turn) -> Response:
    """Call status callback: completed, busy, no-answer, failed update the call record."""
    calls.record_status(turn.session, turn.call, turn.params, turn.now)
    return _xml(Twiml.empty())
