"""Twilio Messaging webhook: every inbound text gets an answer (TwiML MessagingResponse), up to
`REPLIES_PER_HOUR` to one number."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request, Response
from twilio.twiml.messaging_response import MessagingResponse

from dispatch.deps import ClockDep, SessionDep, SettingsDep
from hotline.intake import IntakeDep
from hotline.sms import service as texts
from hotline.twilio.client import signed
from hotline.twilio.signature import TwilioParams
from hotline.voice.api import ScriptDep

router = APIRouter(prefix="/hotline/sms", tags=["hotline: sms"])


def _reply(text: str, signature: str) -> Response:
    """The answer Twilio texts back, signed; none at all for an empty one."""
    response = MessagingResponse()
    if text:
        response.message(signed(signature, text))
    return Response(content=str(response), media_type="application/xml")


@router.post("/incoming")
def incoming(
    request: Request,
    params: TwilioParams,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    intake: IntakeDep,
    script: ScriptDep,
) -> Response:
    """A resident's request or answer, or a team leader's accept code."""
    sid = params.get("MessageSid") or params.get("SmsSid", "")
    seen = texts.already_answered(session, sid) if sid else None
    if seen is not None:  # Twilio retried the webhook: same answer, nothing done twice
        return _reply(seen.reply, settings.sms_signature)
    now = clock.now()
    sender, body = params.get("From", ""), params.get("Body", "")
    quiet = texts.replies_used_up(session, sender, now, intake)
    reply = texts.understand(
        session,
        sender=sender,
        body=body,
        now=now,
        intake=intake,
        script=script,
        accept_by_code=request.app.state.accept_by_code,
    )
    if quiet:  # read and kept all the same; only the answer is not sent
        reply = replace(reply, text="")
    if sid:
        texts.remember(session, sid, sender, body, reply, now)
    return _reply(reply.text, settings.sms_signature)
