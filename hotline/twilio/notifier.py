"""The desk's Notifier port (dispatch.notify) on Twilio: SMS and voice calls via the SDK."""

from __future__ import annotations

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from dispatch.notify.port import NotifyChannel, SendResult
from dispatch.settings import Settings
from hotline.twilio.client import signed


class TwilioNotifier:
    """Texts and calls team leaders; push is not Twilio's job and is refused, not retried."""

    def __init__(self, settings: Settings, http_client: HttpClient | None = None) -> None:
        self._from = settings.twilio_from_number
        self._signature = settings.sms_signature
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client
        )

    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        try:
            if channel == NotifyChannel.sms:
                body = signed(self._signature, message)
                sent = self._client.messages.create(to=recipient, from_=self._from, body=body)
            elif channel == NotifyChannel.voice:
                twiml = VoiceResponse()
                twiml.say(message, language="zh-CN")
                sent = self._client.calls.create(to=recipient, from_=self._from, twiml=str(twiml))
            else:
                return SendResult(ok=False, error=f"twilio cannot send {channel}", retryable=False)
        except TwilioRestException as exc:
            status = int(getattr(exc, "status", 0) or 0)
            return SendResult(ok=False, error=str(exc), retryable=status >= 500 or status == 429)
        except TwilioException as exc:
            return SendResult(ok=False, error=str(exc))
        return SendResult(ok=True, provider_ref=str(sent.sid))


def register() -> None:
    """Make HOTLINE_NOTIFIER=twilio available to dispatch.notify's registry."""
    from dispatch.notify.registry import register_notifier

    register_notifier("twilio", TwilioNotifier)
