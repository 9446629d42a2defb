"""Twilio's recording media, as httpx sees it, and a resident leaving a voicemail at night."""

from __future__ import annotations

import base64
import itertools
import re
from dataclasses import dataclass, field

import httpx
from fastapi.testclient import TestClient

from dispatch.database import Database
from dispatch.settings import Settings
from hotline.twilio.recordings import TwilioRecordings
from tests.hotline.conftest import TWILIO_TOKEN
from tests.hotline.lookups import call_record, order
from tests.hotline.twilio_builders import ACCOUNT_SID, Call, twiml

MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 8  # a tag, then "audio"
_MEDIA = re.compile(rf"/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/(RE[0-9a-f]{{32}})\.mp3")
_sids = itertools.count(0xA1)


def recording_sid() -> str:
    return f"RE{next(_sids):032x}"


def recording_url(sid: str) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"


@dataclass
class TwilioMedia:
    """Answers `<RecordingUrl>.mp3` like Twilio: Basic auth with the account, 404 for a
    recording it does not hold; `down` refuses connections, `failing` answers that status."""

    recordings: dict[str, bytes] = field(default_factory=dict)
    hands_over_at: str | None = None  # a host Twilio redirects the media to (302)
    down: bool = False
    failing: int | None = None
    asked: list[httpx.Request] = field(default_factory=list)

    def holds(self, audio: bytes = MP3_BYTES) -> str:
        """A new recording in the account; its sid."""
        sid = recording_sid()
        self.recordings[sid] = audio
        return sid

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def serve_in(self, client: TestClient, settings: Settings) -> TwilioMedia:
        """The app's Twilio HTTP becomes this fake (the only thing replaced)."""
        client.app.state.twilio_recordings = TwilioRecordings(settings, self.transport())  # type: ignore[attr-defined]
        return self

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.failing is not None:
            return httpx.Response(self.failing, json={"code": 20500, "status": self.failing})
        if request.url.host == self.hands_over_at:
            return self._audio(request.url.path.strip("/").removesuffix(".mp3"))
        basic = base64.b64encode(f"{ACCOUNT_SID}:{TWILIO_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}":
            return httpx.Response(401, json={"code": 20003, "message": "Authenticate"})
        found = _MEDIA.fullmatch(request.url.path)
        sid = found.group(1) if found else ""
        if self.hands_over_at and sid in self.recordings:
            return httpx.Response(302, headers={"Location": f"https://{self.hands_over_at}/{sid}"})
        return self._audio(sid)

    def _audio(self, sid: str) -> httpx.Response:
        if sid not in self.recordings:
            return httpx.Response(404, json={"code": 20404, "message": "not found"})
        audio = self.recordings[sid]
        return httpx.Response(200, content=audio, headers={"Content-Type": "audio/mpeg"})


@dataclass(frozen=True)
class Voicemail:
    order_number: str
    order_id: int
    recording_sid: str


def leave_voicemail(
    client: httpx.Client, db: Database, sid: str, *, url: str | None = None
) -> Voicemail:
    """A night call nobody answers: the caller asks for an operator, waits, leaves a message.
    `client`: the test client, or an httpx client on a running server (the page tests)."""
    call, url = Call(client), url or recording_url(sid)
    call.post("incoming", CallStatus="ringing")
    twiml(call.post("menu", Digits="0"))
    twiml(call.post("queue-exit", QueueResult="leave", QueueTime="95"))
    twiml(call.post("voicemail", RecordingUrl=url, RecordingDuration="23"))
    callback = {"RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "23"}
    twiml(call.post("recording", RecordingStatus="completed", **callback))
    record = call_record(db, call.sid)
    assert record is not None and record.order_id is not None
    return Voicemail(order(db, record.order_id).number, record.order_id, sid)
