"""HOTLINE_NOTIFIER=twilio: escalation's texts and calls go out through the SDK, offline."""

from __future__ import annotations

from dispatch.notify.port import NotifyChannel
from dispatch.notify.registry import build_notifier
from dispatch.settings import Settings
from hotline.twilio.client import RecordingHttpClient
from hotline.twilio.notifier import TwilioNotifier

LEADER = "+8613800000101"


def test_the_twilio_notifier_is_registered_for_the_setting(settings: Settings) -> None:
    import hotline.wiring  # noqa: F401  (registers on import, before any install)

    chosen = build_notifier(settings.model_copy(update={"notifier": "twilio"}))
    assert isinstance(chosen, TwilioNotifier)


def test_texts_and_calls_go_through_the_sdk_and_push_is_refused(settings: Settings) -> None:
    api = RecordingHttpClient()
    notifier = TwilioNotifier(settings, http_client=api)
    sms = notifier.send(LEADER, NotifyChannel.sms, "新工单 WO-1，签收码 123456", "step:1")
    call = notifier.send(LEADER, NotifyChannel.voice, "您有新工单待签收", "step:2")
    push = notifier.send(LEADER, NotifyChannel.push, "x", "step:3")
    assert sms.ok and call.ok and sms.provider_ref
    assert (push.ok, push.retryable) == (False, False)
    texted, called = api.requests
    assert texted.url.endswith("/Messages.json") and texted.data["Body"].endswith("123456")
    assert called.url.endswith("/Calls.json") and "您有新工单待签收" in str(called.data["Twiml"])

    api.fail_with = 503
    failed = notifier.send(LEADER, NotifyChannel.sms, "retry me", "step:4")
    assert (failed.ok, failed.retryable) == (False, True)
