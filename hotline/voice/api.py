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

router = APIRouter(prefix="/hotline/voice", tags=["hotline: voice"])
VOICEMAIL_RESULTS = frozenset({"leave", "queue-full", "error", "system-error"})


def get_script(request: Request) -> IvrScript:
    script: IvrScript = request.app.state.ivr_script
    return script


ScriptDep = Annotated[IvrScript, Depends(get_script)]


def _xml(body: str) -> Response:
    return Response(content=body, media_type="application/xml")


@router.post("/incoming")
def incoming(
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    script: ScriptDep,
    intake: IntakeDep,
) -> Response:
    """A call comes in: greet in Mandarin and offer the menu (keys or speech)."""
    call = calls.open_call(session, params, intake, clock.now())
    return _xml(Twiml(script, settings.public_base_url, call.language).menu(greet=True))


@router.post("/menu")
def menu(
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    script: ScriptDep,
    intake: IntakeDep,
) -> Response:
    """The caller pressed a key or spoke; no answer at all goes to an operator."""
    now = clock.now()
    call = calls.open_call(session, params, intake, now)
    key = params.get("Digits", "").strip()[:1]
    speech = calls.speech_of(params)
    if key == "9":
        calls.move(session, call, "menu", now, language="en-US")
        return _xml(Twiml(script, settings.public_base_url, "en-US").menu(greet=True))
    twiml = Twiml(script, settings.public_base_url, call.language)
    choice = script.choice(key) if key else None
    if key and choice is None:
        return _xml(twiml.menu(greet=False, apology=True))
    if choice is not None and choice is not script.operator():
        step = "emergency_reminded" if choice.remind_emergency else "describing"
        calls.move(
            session,
            call,
            step,
            now,
            menu_choice=choice.key,
            emergency_reminded=call.emergency_reminded or choice.remind_emergency,
        )
        return _xml(twiml.describe(emergency=choice.remind_emergency))
    if choice is None and speech:
        choice = script.choice_for_speech(speech)
        calls.move(session, call, call.step, now, speech=speech)
    choice = choice or script.operator()
    calls.move(session, call, "queued", now, menu_choice=choice.key)
    calls.order_for_call(session, call, choice, intake, now)
    return _xml(twiml.enqueue())


@router.post("/speech")
def speech(
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    script: ScriptDep,
    intake: IntakeDep,
) -> Response:
    """The caller described the problem (or said nothing): the order is made, then the queue."""
    now = clock.now()
    call = calls.open_call(session, params, intake, now)
    words = calls.speech_of(params)
    if words and call.order_id is None:
        calls.move(session, call, call.step, now, speech=words)
    choice = (script.choice(call.menu_choice) if call.menu_choice else None) or script.operator()
    calls.order_for_call(session, call, choice, intake, now)
    calls.move(session, call, "queued", now)
    return _xml(Twiml(script, settings.public_base_url, call.language).enqueue())


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
def queue_exit(
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    script: ScriptDep,
    intake: IntakeDep,
) -> Response:
    """The call left the queue: answered (bridged) ends here; nobody free means voicemail."""
    now = clock.now()
    call = calls.open_call(session, params, intake, now)
    result = params.get("QueueResult", "")[:32]
    twiml = Twiml(script, settings.public_base_url, call.language)
    if result in VOICEMAIL_RESULTS:
        calls.move(session, call, "voicemail", now, queue_result=result)
        return _xml(twiml.voicemail())
    calls.move(
        session, call, "answered" if result == "bridged" else call.step, now, queue_result=result
    )
    return _xml(twiml.empty())


@router.post("/voicemail")
def voicemail_done(
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    script: ScriptDep,
    intake: IntakeDep,
) -> Response:
    """The <Record> finished: thank the caller; the recording itself arrives by callback."""
    now = clock.now()
    call = calls.open_call(session, params, intake, now)
    url = params.get("RecordingUrl", "")[:500] or call.recording_url
    calls.move(session, call, "voicemail_left", now, recording_url=url)
    return _xml(Twiml(script, settings.public_base_url, call.language).goodbye("thanks"))


@router.post("/recording")
def recording(params: TwilioParams, session: SessionDep, clock: ClockDep) -> Response:
    """Recording status callback: the voicemail attaches to the call's order as a note."""
    call = calls.find_call(session, params.get("CallSid", ""))
    if call is not None and params.get("RecordingStatus", "completed") == "completed":
        url = params.get("RecordingUrl", "")
        duration = params.get("RecordingDuration", "")
        calls.note_on_call_order(
            session,
            call,
            clock.now(),
            f"recording:{params.get('RecordingSid', url)}",
            {
                "text": f"语音留言（{duration}秒）：{url}",
                "source": "voicemail",
                "recording_url": url,
                "recording_duration": duration,
            },
        )
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
def status(
    params: TwilioParams, session: SessionDep, clock: ClockDep, intake: IntakeDep
) -> Response:
    """Call status callback: completed, busy, no-answer, failed update the call record."""
    now = clock.now()
    call = calls.open_call(session, params, intake, now)
    calls.record_status(session, call, params, now)
    return _xml(Twiml.empty())
