"""语音留言: the morning operator listens to the night's voicemail from the order page.

Only Twilio's HTTP is a fake (tests/hotline/twilio_media.py); the calls, the orders, the
notes and who may see them are the app's own, on a real database.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.events.models import EventKind
from dispatch.orders.event_log import log_event
from dispatch.orders.models import WorkOrder
from dispatch.settings import Settings
from hotline.voice.service import IVR
from tests.builders.desk import leader, operator
from tests.hotline.lookups import events
from tests.hotline.twilio_builders import ACCOUNT_SID
from tests.hotline.twilio_media import (
    MP3_BYTES,
    TwilioMedia,
    Voicemail,
    leave_voicemail,
    recording_url,
)


def audio_path(left: Voicemail, sid: str | None = None) -> str:
    return f"/api/v1/orders/{left.order_number}/recordings/{sid or left.recording_sid}"


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    found: dict[str, Any] = body["error"]
    return found


def night_voicemail(
    client: TestClient, db: Database, settings: Settings
) -> tuple[TwilioMedia, Voicemail]:
    twilio = TwilioMedia().serve_in(client, settings)
    return twilio, leave_voicemail(client, db, twilio.holds())


def test_morning_operator_listens_to_the_night_voicemail_on_the_order_page(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    desk = operator(client)

    timeline = desk.get(f"/api/v1/orders/{left.order_number}/timeline").json()["data"]
    (note,) = [e["data"] for e in timeline if e["data"].get("source") == "voicemail"]
    assert note["recording_sid"] == left.recording_sid  # the page needs no URL parsing

    heard = desk.get(audio_path(left))
    assert heard.status_code == 200, heard.text
    assert heard.headers["content-type"] == "audio/mpeg"
    assert heard.headers["cache-control"] == "private, no-store"
    assert heard.content == MP3_BYTES
    (asked,) = twilio.asked
    assert str(asked.url) == recording_url(left.recording_sid) + ".mp3"
    assert asked.url.scheme == "https" and asked.url.host == "api.twilio.com"
    # Nothing of the audio was kept: the order's events are what they were.
    assert len(events(db, left.order_id)) == len(timeline)


def test_a_leader_of_another_team_cannot_listen(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    routed = operator(client).act(left.order_number, "dispatch", {"lead_team": "jindi-property"})
    assert routed.status_code == 200, routed.text
    refused = error(leader(client, "yinpi").get(audio_path(left)), 404)
    assert (refused["code"], refused["field"]) == ("not_found", "order")
    assert twilio.asked == []
    # The team the order went to hears it, as it sees the order.
    assert leader(client, "jindi").get(audio_path(left)).content == MP3_BYTES


def test_a_recording_left_on_another_order_is_a_404_naming_the_recording(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, mine = night_voicemail(client, db, settings)
    someone_elses = leave_voicemail(client, db, twilio.holds(b"ID3 another caller's message"))
    desk = operator(client)
    refused = error(desk.get(audio_path(mine, someone_elses.recording_sid)), 404)
    assert refused["field"] == "recording_sid"
    assert error(desk.get(audio_path(mine, "RE1")), 422)["field"] == "recording_sid"
    assert twilio.asked == []


def test_a_note_typed_at_the_desk_makes_no_recording_playable(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    stranger = twilio.holds(b"ID3 a recording of another call")
    desk = operator(client)
    typed = {"text": f"见 {recording_url(stranger)}"}
    assert desk.act(left.order_number, "notes", typed).status_code == 200
    assert error(desk.get(audio_path(left, stranger)), 404)["field"] == "recording_sid"
    assert twilio.asked == []


def test_twilio_down_is_a_502_not_a_500(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    desk = operator(client)
    twilio.down = True
    unreachable = error(desk.get(audio_path(left)), 502)
    assert unreachable["code"] == "twilio_unavailable"
    twilio.down, twilio.failing = False, 503
    assert error(desk.get(audio_path(left)), 502)["code"] == "twilio_unavailable"
    twilio.failing = None
    assert desk.get(audio_path(left)).content == MP3_BYTES  # back again, heard at once


def test_a_recording_twilio_no_longer_holds_is_a_404(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    twilio.recordings.clear()  # deleted in Twilio's console
    gone = error(operator(client).get(audio_path(left)), 404)
    assert gone["field"] == "recording_sid"


def test_an_older_voicemail_note_is_found_by_the_end_of_its_recording_url(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    older = twilio.holds(b"ID3 left before notes named their recording")
    with db.session(write=True) as session:
        order = session.get(WorkOrder, left.order_id)
        assert order is not None
        before_sids = {  # the note as the /recording callback wrote it until now
            "marker": f"recording:{older}",
            "text": f"语音留言（12秒）：{recording_url(older)}",
            "source": "voicemail",
            "recording_url": recording_url(older),
            "recording_duration": "12",
        }
        log_event(session, order, EventKind.note_added, IVR, clock.now(), before_sids)
    heard = operator(client).get(audio_path(left, older))
    assert heard.content == b"ID3 left before notes named their recording"


def test_only_twilio_api_is_asked_whatever_url_the_callback_carried(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio = TwilioMedia().serve_in(client, settings)
    sid = twilio.holds()
    elsewhere = f"https://internal.example/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"
    left = leave_voicemail(client, db, sid, url=elsewhere)
    assert operator(client).get(audio_path(left)).content == MP3_BYTES
    assert [str(r.url) for r in twilio.asked] == [recording_url(sid) + ".mp3"]


def test_media_twilio_hands_over_elsewhere_is_fetched_without_our_credentials(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio, left = night_voicemail(client, db, settings)
    twilio.hands_over_at = "media.twiliocdn.example"
    assert operator(client).get(audio_path(left)).content == MP3_BYTES
    signed, handed_over = twilio.asked
    assert "authorization" in signed.headers
    assert handed_over.url.host == "media.twiliocdn.example"
    assert "authorization" not in handed_over.headers


def test_the_team_plays_a_voicemail_whose_id_has_digits_like_a_mobile_number(
    client: TestClient, db: Database, settings: Settings
) -> None:
    twilio = TwilioMedia().serve_in(client, settings)
    sid = "RE" + "ab13812345678c" + "0" * 18  # Twilio's hex can hold a run like a mobile
    twilio.recordings[sid] = MP3_BYTES
    left = leave_voicemail(client, db, sid)
    routed = operator(client).act(left.order_number, "dispatch", {"lead_team": "jindi-property"})
    assert routed.status_code == 200, routed.text
    team = leader(client, "jindi")
    timeline = team.get(f"/api/v1/orders/{left.order_number}/timeline").json()["data"]
    (note,) = [e["data"] for e in timeline if e["data"].get("source") == "voicemail"]
    assert note["recording_sid"] == sid  # an identifier, not masked for the team
    assert "138****5678" in note["recording_url"]  # other strings are masked as ever
    assert team.get(audio_path(left)).content == MP3_BYTES
