"""Voicemail audio from Twilio's REST API, with the account's credentials, never stored here.

Only `https://api.twilio.com/...` is asked, built from our account SID and a recording SID of
the form RE + 32 hex digits: never a URL taken from event data (SSRF). Tests and offline
development pass an httpx transport, as for the outbox (hotline.wiring.outbox_worker).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import httpx

from dispatch.errors import DomainError, NotFound, ServiceUnavailable
from dispatch.settings import Settings

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
RECORDING_SID = re.compile(r"RE[0-9a-fA-F]{32}")
ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")
MP3 = "audio/mpeg"
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
CHUNK = 64 * 1024


class TwilioUnavailable(DomainError):
    """Twilio did not answer, or answered with an error of its own."""

    status_code = 502
    code = "twilio_unavailable"


class TwilioRecordings:
    """Opens a recording's MP3 (`<RecordingUrl>.mp3`) as a stream; the caller closes it."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self._account = settings.twilio_account_sid
        self._auth = httpx.BasicAuth(settings.twilio_account_sid, settings.twilio_auth_token)
        self._client = httpx.Client(transport=transport, timeout=TIMEOUT, follow_redirects=False)

    def media_url(self, recording_sid: str) -> str:
        if not ACCOUNT_SID.fullmatch(self._account):
            raise ServiceUnavailable("Twilio is not configured: no recording can be fetched")
        if not RECORDING_SID.fullmatch(recording_sid):
            raise NotFound(f"no recording {recording_sid}", field="recording_sid")
        return f"{TWILIO_API}/2010-04-01/Accounts/{self._account}/Recordings/{recording_sid}.mp3"

    def open_mp3(self, recording_sid: str) -> httpx.Response:
        answer = self._get(self.media_url(recording_sid), signed=True)
        if answer.is_redirect:
            # Twilio may hand the media over at a short-lived https address of its choosing:
            # followed once, without our credentials (an address Twilio gave, not our data).
            target = answer.headers.get("location", "")
            answer.close()
            if not target.startswith("https://"):
                raise TwilioUnavailable(f"Twilio sent recording {recording_sid} elsewhere")
            answer = self._get(target, signed=False)
        if answer.status_code == 200:
            return answer
        answer.close()
        if answer.status_code == 404:
            raise NotFound(f"Twilio has no recording {recording_sid}", field="recording_sid")
        raise TwilioUnavailable(
            f"Twilio answered {answer.status_code} for recording {recording_sid}"
        )

    def _get(self, url: str, *, signed: bool) -> httpx.Response:
        request = self._client.build_request("GET", url)
        try:
            return self._client.send(request, stream=True, auth=self._auth if signed else None)
        except httpx.HTTPError as exc:
            log.warning("Twilio unreachable for a recording: %s", exc)
            raise TwilioUnavailable("Twilio cannot be reached; try again shortly") from exc


def chunks(answer: httpx.Response) -> Iterator[bytes]:
    """The audio as it arrives; Twilio failing midway ends it short (the player stops)."""
    try:
        yield from answer.iter_bytes(CHUNK)
    except httpx.HTTPError as exc:
        log.warning("Twilio broke off a recording: %s", exc)
    finally:
        answer.close()
