"""A resident phones the hotline: menu, speech, queue, voicemail, and one work order."""

from __future__ import annotations

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from dispatch.database import Database
from tests.hotline.conftest import TWILIO_TOKEN
from tests.hotline.lookups import call_record, events, order, order_count
from tests.hotline.twilio_builders import Call, sign, twiml

BLOCKED_DRAIN = "金东豪庭3号楼下水道堵了，污水漫到楼道里"


def test_a_whole_call_becomes_one_order_with_screen_pop_queue_and_voicemail(
    client: TestClient, db: Database
) -> None:
    call = Call(client)

    greeting = twiml(call.post("incoming", CallStatus="ringing"))
    gather = greeting.find("Gather")
    assert gather is not None
    assert gather.get("input") == "dtmf speech"
    assert gather.get("language") == "zh-CN"
    assert gather.get("action") == "https://hotline.example.gov.cn/hotline/voice/menu"
    assert "24小时民生服务热线" in "".join(s.text or "" for s in gather.iter("Say"))

    describe = twiml(call.post("menu", Digits="1"))
    speech_gather = describe.find("Gather")
    assert speech_gather is not None and speech_gather.get("input") == "speech"
    assert speech_gather.get("action", "").endswith("/hotline/voice/speech")

    queued = twiml(call.post("speech", SpeechResult=BLOCKED_DRAIN, Confidence="0.92"))
    enqueue = queued.find("Enqueue")
    assert enqueue is not None and enqueue.text == "hotline-operators"
    assert enqueue.get("waitUrl", "").endswith("/hotline/voice/wait")

    record = call_record(db, call.sid)
    assert record is not None and record.order_id is not None
    made = order(db, record.order_id)
    assert made.channel.value == "phone"
    assert made.category_code == "drain_blocked"
    assert made.description == BLOCKED_DRAIN
    assert made.caller_phone == "+8613812345678"
    (pop,) = events(db, made.id or 0, "screen_pop")
    assert pop.data["number"] == "+8613812345678"
    assert pop.data["assisted_resident"] is False
    assert pop.data["earlier_orders"] == []

    hold = twiml(call.post("wait", QueueTime="30", QueueSid="QU1", CurrentQueueSize="2"))
    assert hold.find("Say") is not None and hold.find("Leave") is None
    leave = twiml(call.post("wait", QueueTime="95", QueueSid="QU1", CurrentQueueSize="2"))
    assert leave.find("Leave") is not None

    voicemail = twiml(call.post("queue-exit", QueueResult="leave", QueueTime="95"))
    rec = voicemail.find("Record")
    assert rec is not None
    assert rec.get("transcribe") == "true"
    assert rec.get("transcribeCallback", "").endswith("/hotline/voice/transcription")
    assert rec.get("recordingStatusCallback", "").endswith("/hotline/voice/recording")

    recording_url = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1"
    thanks = twiml(call.post("voicemail", RecordingUrl=recording_url, RecordingDuration="21"))
    assert thanks.find("Hangup") is not None
    recording = dict(
        RecordingSid="RE1",
        RecordingUrl=recording_url,
        RecordingStatus="completed",
        RecordingDuration="21",
    )
    twiml(call.post("recording", **recording))
    twiml(call.post("recording", **recording))  # Twilio retried the callback
    twiml(
        call.post(
            "transcription",
            TranscriptionSid="TR1",
            TranscriptionText="The drain in building 3 is blocked",
            TranscriptionStatus="completed",
            RecordingSid="RE1",
            RecordingUrl=recording_url,
        )
    )
    twiml(call.post("status", CallStatus="completed", CallDuration="140"))

    notes = [e.data for e in events(db, made.id or 0, "note_added")]
    assert [n["source"] for n in notes] == ["voicemail", "voicemail_transcription"]
    assert notes[0]["text"] == "语音留言（21秒）"  # the page plays it; no address to read
    assert notes[0]["recording_url"] == recording_url
    assert "building 3" in notes[1]["text"]
    ended = call_record(db, call.sid)
    assert ended is not None
    assert (ended.call_status, ended.duration_seconds) == ("completed", 140)
    assert ended.ended_at is not None and ended.queue_result == "leave"
    assert order_count(db) == 1


def test_unsigned_or_tampered_webhooks_get_403_and_create_nothing(
    client: TestClient, db: Database
) -> None:
    call = Call(client)
    params = call.params(Digits="0")
    unsigned = client.post("/hotline/voice/menu", data=params)
    assert unsigned.status_code == 403
    signature = sign("/hotline/voice/menu", params)
    tampered = client.post(
        "/hotline/voice/menu",
        data={**params, "From": "+8613900000001"},
        headers={"X-Twilio-Signature": signature},
    )
    assert tampered.status_code == 403
    # Signed for the internal URL instead of the public one (behind the proxy): refused too.
    internal = RequestValidator(TWILIO_TOKEN).compute_signature(
        "http://testserver/hotline/voice/menu", params
    )
    wrong_url = client.post(
        "/hotline/voice/menu", data=params, headers={"X-Twilio-Signature": internal}
    )
    assert wrong_url.status_code == 403
    assert call_record(db, call.sid) is None
    assert order_count(db) == 0


def test_twilio_retries_of_the_same_call_make_one_order(client: TestClient, db: Database) -> None:
    call = Call(client)
    call.post("incoming")
    call.post("incoming")
    call.post("menu", Digits="2")
    first = twiml(call.post("speech", SpeechResult="楼上邻居天天吵架，想请人调解"))
    again = twiml(call.post("speech", SpeechResult="楼上邻居天天吵架，想请人调解"))
    assert first.find("Enqueue") is not None and again.find("Enqueue") is not None
    assert order_count(db) == 1
    record = call_record(db, call.sid)
    assert record is not None and record.order_id is not None
    assert order(db, record.order_id).category_code == "dispute"
    assert len(events(db, record.order_id, "screen_pop")) == 1


def test_pressing_0_or_nothing_goes_straight_to_an_operator(
    client: TestClient, db: Database
) -> None:
    operator_call = Call(client, caller="+8613800000011")
    assert twiml(operator_call.post("menu", Digits="0")).find("Enqueue") is not None
    silent_call = Call(client, caller="+8613800000012")
    assert twiml(silent_call.post("menu")).find("Enqueue") is not None
    assert order_count(db) == 2


def test_caller_who_speaks_instead_of_pressing_gets_the_category_from_the_words(
    client: TestClient, db: Database
) -> None:
    call = Call(client)
    assert twiml(call.post("menu", SpeechResult="泰和路的井盖坏了")).find("Enqueue") is not None
    record = call_record(db, call.sid)
    assert record is not None and record.order_id is not None
    assert order(db, record.order_id).category_code == "manhole_cover"


def test_an_unknown_key_repeats_the_menu(client: TestClient) -> None:
    again = twiml(Call(client).post("menu", Digits="7"))
    assert again.find("Gather") is not None


def test_english_branch_speaks_english_from_then_on(client: TestClient, db: Database) -> None:
    call = Call(client)
    english = twiml(call.post("menu", Digits="9"))
    gather = english.find("Gather")
    assert gather is not None and gather.get("language") == "en-US"
    assert "press 1" in "".join(s.text or "" for s in gather.iter("Say"))
    describe = twiml(call.post("menu", Digits="1"))
    speech_gather = describe.find("Gather")
    assert speech_gather is not None and speech_gather.get("language") == "en-US"


def test_safety_menu_reminds_110_and_a_hang_up_then_counts_as_diverted(
    client: TestClient, db: Database
) -> None:
    call = Call(client)
    reminder = twiml(call.post("menu", Digits="3"))
    said = "".join(s.text or "" for s in reminder.iter("Say"))
    assert "110" in said and "119" in said and "120" in said
    twiml(call.post("status", CallStatus="completed", CallDuration="12"))
    record = call_record(db, call.sid)
    assert record is not None
    assert record.emergency_reminded and record.diverted_to_emergency
    assert record.order_id is None


def test_status_callbacks_for_calls_that_never_connected(client: TestClient, db: Database) -> None:
    for status in ("busy", "no-answer", "failed"):
        call = Call(client)
        twiml(call.post("status", CallStatus=status))
        record = call_record(db, call.sid)
        assert record is not None and record.call_status == status
    assert order_count(db) == 0


def test_screen_pop_shows_an_assisted_resident_and_her_earlier_orders(
    client: TestClient, db: Database
) -> None:
    first = Call(client, caller="+8613900000001")
    first.post("menu", Digits="1")
    first.post("speech", SpeechResult="安怡家园E区1号楼屋顶漏水")
    second = Call(client, caller="+8613900000001")
    second.post("menu", Digits="1")
    second.post("speech", SpeechResult="屋顶还在漏水")
    record = call_record(db, second.sid)
    assert record is not None and record.order_id is not None
    (pop,) = events(db, record.order_id, "screen_pop")
    assert pop.data["assisted_resident"] is True
    assert pop.data["assisted"]["kind"] == "elderly_alone"
    assert [o["category"] for o in pop.data["earlier_orders"]] == ["roof_leak"]
