"""When a phone order is resolved the resident gets a survey text, sent with Twilio's SDK."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from hotline.outbox.destinations import SmsDestination
from hotline.twilio.client import RecordingHttpClient, TwilioSms
from hotline.wiring import outbox_worker
from tests.builders.desk import leader, operator, supervisor
from tests.hotline.upstream_builders import Outside, police_platform, upstream_12345


def _resolve_a_phone_order(client: TestClient) -> str:
    number = str(operator(client).create_order()["number"])
    team = leader(client, "jindi")
    team.act(number, "accept")
    assert team.act(number, "resolve", {"result": "车辆已移走"}).status_code == 200
    return number


def test_the_survey_text_goes_out_through_the_twilio_client_once(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    twilio_api = RecordingHttpClient()
    worker = outbox_worker(
        db,
        settings,
        clock,
        transport=Outside(upstream_12345(), police_platform()).transport(),
        sms=SmsDestination(TwilioSms(settings, http_client=twilio_api)),
    )
    number = _resolve_a_phone_order(client)
    worker.drain()
    worker.drain()
    (sent,) = twilio_api.requests
    assert sent.method == "POST"
    assert sent.url.endswith(f"/Accounts/{settings.twilio_account_sid}/Messages.json")
    assert sent.data["To"] == "+8613812345678"
    assert sent.data["From"] == settings.twilio_from_number
    assert number in str(sent.data["Body"]) and "3 不满意" in str(sent.data["Body"])
    assert sent.auth == (settings.twilio_account_sid, settings.twilio_auth_token)
    board = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    assert board["data"][0]["reference"].startswith("SM")


def test_twilio_refusing_the_text_leaves_it_pending_with_the_error(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    twilio_api = RecordingHttpClient(fail_with=429)
    worker = outbox_worker(
        db,
        settings,
        clock,
        transport=Outside(upstream_12345(), police_platform()).transport(),
        sms=SmsDestination(TwilioSms(settings, http_client=twilio_api)),
    )
    _resolve_a_phone_order(client)
    worker.drain()
    board = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    (message,) = board["data"]
    assert message["status"] == "pending" and message["attempts"] == 1
    assert "429" in message["last_error"]
