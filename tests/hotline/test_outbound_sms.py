"""A phone order's resident gets its number by text (受理短信) and, once it is resolved, a survey
text, both sent with Twilio's SDK."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.notify.port import NotifyChannel
from dispatch.settings import Settings
from hotline.outbox.destinations import SmsDestination
from hotline.outbox.worker import OutboxWorker
from hotline.twilio.client import RecordingHttpClient, TwilioSms
from hotline.twilio.notifier import TwilioNotifier
from hotline.wiring import outbox_worker
from tests.builders.desk import leader, operator, supervisor
from tests.hotline.upstream_builders import Outside, police_platform, upstream_12345


def texting_worker(
    db: Database, settings: Settings, clock: FrozenClock, sms: TwilioSms
) -> OutboxWorker:
    """The outbox worker, texting through `sms` (Twilio's SDK on a fake of its HTTP API)."""
    platforms = Outside(upstream_12345(), police_platform()).transport()
    return outbox_worker(db, settings, clock, transport=platforms, sms=SmsDestination(sms))


def _resolve_a_phone_order(client: TestClient) -> str:
    number = str(operator(client).create_order()["number"])
    team = leader(client, "jindi")
    team.act(number, "accept")
    assert team.act(number, "resolve", {"result": "车辆已移走"}).status_code == 200
    return number


def test_the_receipt_and_the_survey_text_go_out_through_the_twilio_client_once_each(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    twilio_api = RecordingHttpClient()
    worker = texting_worker(db, settings, clock, TwilioSms(settings, http_client=twilio_api))
    number = _resolve_a_phone_order(client)
    worker.drain()
    worker.drain()
    receipt, survey = twilio_api.requests  # in the order they were written
    for sent in (receipt, survey):
        assert sent.method == "POST"
        assert sent.url.endswith(f"/Accounts/{settings.twilio_account_sid}/Messages.json")
        assert sent.data["To"] == "+8613812345678"
        assert sent.data["From"] == settings.twilio_from_number
        assert sent.auth == (settings.twilio_account_sid, settings.twilio_auth_token)
    assert str(receipt.data["Body"]) == (
        f"您反映的问题已受理，工单号 {number}。如需了解办理进度，请回复“查询”。"
    )
    assert number in str(survey.data["Body"]) and "3 不满意" in str(survey.data["Body"])
    board = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    assert {m["kind"] for m in board["data"]} == {"receipt", "survey"}
    assert all(m["reference"].startswith("SM") for m in board["data"])


def test_twilio_refusing_the_text_leaves_it_pending_with_the_error(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    twilio_api = RecordingHttpClient(fail_with=429)
    worker = texting_worker(db, settings, clock, TwilioSms(settings, http_client=twilio_api))
    _resolve_a_phone_order(client)
    worker.drain()
    board = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    texts = {m["kind"]: m for m in board["data"]}
    receipt, survey = texts["receipt"], texts["survey"]
    assert receipt["status"] == "pending" and receipt["attempts"] == 1
    assert "429" in receipt["last_error"]
    # The survey waits behind the receipt: the resident reads them in the order they were sent.
    assert survey["status"] == "pending" and survey["attempts"] == 0


SIGNATURE = "【金凤区热线】"


def test_every_text_leaves_with_the_desks_registered_signature(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    """Mainland carriers refuse business texts without the registered 短信签名."""
    signed_settings = settings.model_copy(update={"sms_signature": SIGNATURE})
    twilio_api = RecordingHttpClient()
    worker = texting_worker(db, settings, clock, TwilioSms(signed_settings, http_client=twilio_api))
    number = operator(client).create_order()["number"]
    worker.drain()
    (receipt,) = twilio_api.requests
    assert receipt.data["Body"] == (
        f"{SIGNATURE}您反映的问题已受理，工单号 {number}。如需了解办理进度，请回复“查询”。"
    )

    leaders = RecordingHttpClient()
    TwilioNotifier(signed_settings, http_client=leaders).send(
        "+8613900000001", NotifyChannel.sms, f"新工单 {number}", "ref-1"
    )
    assert leaders.requests[0].data["Body"] == f"{SIGNATURE}新工单 {number}"
