"""HOTLINE_PUSH_PROVIDER=wecom: a leader hears of an escalation on 企业微信 with the page closed,
while texts and calls still go through HOTLINE_NOTIFIER. WeCom is a fake platform."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.notify.by_channel import ByChannel
from dispatch.notify.port import NotifyChannel
from dispatch.notify.registry import build_notifier
from dispatch.settings import Settings
from escalation.scheduler import EscalationScheduler
from hotline.twilio.notifier import TwilioNotifier
from hotline.wecom.card import DESCRIPTION_BYTES, textcard, title_of
from hotline.wecom.client import TextCard, WeComClient
from hotline.wecom.notifier import WeComPushNotifier
from tests.builders.desk import operator
from tests.escalation.helpers import RecordingNotifier, deliveries
from tests.hotline.conftest import PUBLIC_BASE
from tests.hotline.wecom_builders import (
    AGENT_ID,
    CORP_ID,
    SECRET,
    WECOM,
    WeComPlatform,
    refusal,
)

LEADER = "user:leader.jindi"  # 马建国, 金地物业, mobile 13800000101
REMINDER = "【催办】工单 WO-20261122-0001：电动车堵住了消防通道。请于 11-22 10:45 前签收。"
CARD = TextCard("【催办】WO-20261122-0001", REMINDER, f"{PUBLIC_BASE}/team")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=WECOM)


def wecom_settings() -> Settings:
    """For what needs no database: the WeCom client and the start-up checks."""
    return Settings(
        environment="test",
        push_provider="wecom",
        wecom_corp_id=CORP_ID,
        wecom_agent_id=AGENT_ID,
        wecom_secret=SECRET,
    )


def test_team_leader_gets_the_escalation_on_wecom_with_the_page_closed(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    wecom = WeComPlatform()
    texts_and_calls = RecordingNotifier()
    push = WeComPushNotifier(settings, db, wecom.transport())
    notifier = ByChannel({NotifyChannel.push: push}, others=texts_and_calls)
    runtime = client.app.state.escalation  # type: ignore[attr-defined]
    scheduler = EscalationScheduler(runtime, notifier=notifier, worker_id="test-1")
    number = operator(client).create_order()["number"]  # 消防通道 at 金地花园 D区: 金地物业

    clock.advance(timedelta(minutes=5))  # not accepted 10 minutes before the deadline
    scheduler.sweep()
    scheduler.deliver()
    (card,) = wecom.cards
    assert (card["touser"], card["msgtype"], card["agentid"]) == ("MaJianGuo", "textcard", AGENT_ID)
    assert card["textcard"]["title"] == f"【催办】{number}"
    assert card["textcard"]["description"].startswith(f"【催办】工单 {number}")
    assert card["textcard"]["url"] == f"{PUBLIC_BASE}/team"  # where he accepts it
    assert (card["enable_duplicate_check"], card["duplicate_check_interval"]) == (1, 1800)
    assert [(to, channel) for to, channel, _, _ in texts_and_calls.sent] == [
        ("+8613800000101", NotifyChannel.sms)
    ]
    outcomes = {(d.channel, d.status, d.provider_ref) for d in deliveries(db, number)}
    assert outcomes == {("push", "sent", "msg-1"), ("sms", "sent", "fake-1")}

    clock.advance(timedelta(minutes=15))  # a call to the leader, then the supervisor
    scheduler.sweep()
    scheduler.deliver()
    supervisor_card = wecom.cards[-1]
    assert supervisor_card["touser"] == "ZhangDuBan"
    assert supervisor_card["textcard"]["title"] == f"【督办】{number}"
    assert supervisor_card["textcard"]["url"] == f"{PUBLIC_BASE}/orders/{number}"
    assert NotifyChannel.voice in {channel for _, channel, _, _ in texts_and_calls.sent}
    assert wecom.tokens == ["token-1"]


def test_one_token_serves_every_message_until_five_minutes_before_it_runs_out() -> None:
    wecom = WeComPlatform()
    now = [0.0]
    wecom_client = WeComClient(wecom_settings(), wecom.transport(), clock=lambda: now[0])
    for mobile in ("13800000101", "13800000101", "13800000003", "13800000101"):
        wecom_client.send_textcard(mobile, CARD)
    assert wecom.tokens == ["token-1"]
    assert wecom.lookups == ["13800000101", "13800000003"]  # each mobile asked once

    now[0] = 7200 - 300 - 1
    wecom_client.send_textcard("13800000101", CARD)
    now[0] = 7200 - 300
    wecom_client.send_textcard("13800000101", CARD)
    assert wecom.tokens == ["token-1", "token-2"]
    assert len(wecom.cards) == 6


def test_an_expired_token_is_fetched_again_and_the_message_sent_once() -> None:
    wecom = WeComPlatform()
    wecom_client = WeComClient(wecom_settings(), wecom.transport())
    wecom_client.send_textcard("13800000101", CARD)
    wecom.expire_tokens()  # e.g. the secret was reset in the admin console
    assert wecom_client.send_textcard("13800000101", CARD) == "msg-2"
    assert wecom.tokens == ["token-1", "token-2"]
    assert len(wecom.cards) == 2


def test_a_leader_not_on_wecom_is_a_failure_naming_him_and_never_retried(
    settings: Settings, db: Database
) -> None:
    push = WeComPushNotifier(settings, db, WeComPlatform(members={}).transport())
    result = push.send(LEADER, NotifyChannel.push, REMINDER, "step:1")
    assert (result.ok, result.retryable) == (False, False)
    assert result.error is not None
    assert "leader.jindi" in result.error and "138****0101" in result.error
    assert "46004" in result.error and "13800000101" not in result.error

    nobody = push.send("user:nobody", NotifyChannel.push, REMINDER, "step:1")
    assert (nobody.ok, nobody.retryable) == (False, False)
    assert "nobody" in str(nobody.error)


def test_wecom_busy_or_down_is_tried_again_and_a_refusal_is_not(
    settings: Settings, db: Database
) -> None:
    wecom = WeComPlatform(
        trouble=[
            httpx.Response(502, text="Bad Gateway"),
            refusal(-1, "system busy"),
            refusal(45009, "api freq out of limit"),
            httpx.ConnectError("connection reset by peer"),
        ]
    )
    push = WeComPushNotifier(settings, db, wecom.transport())
    outcomes = [push.send(LEADER, NotifyChannel.push, REMINDER, "step:1") for _ in range(5)]
    assert [(o.ok, o.retryable) for o in outcomes] == [(False, True)] * 4 + [(True, True)]
    assert outcomes[-1].provider_ref == "msg-1"

    wecom.trouble = [refusal(60020, "not allow to access from your ip")]
    refused = push.send(LEADER, NotifyChannel.push, REMINDER, "step:2")
    assert (refused.ok, refused.retryable) == (False, False)
    assert "60020" in str(refused.error) and "not allow to access" in str(refused.error)


def test_push_goes_to_wecom_while_texts_and_calls_stay_with_twilio(
    settings: Settings, db: Database
) -> None:
    import hotline.wiring  # noqa: F401  (registers on import, before any install)

    chosen = build_notifier(settings.model_copy(update={"notifier": "twilio"}), db)
    assert isinstance(chosen, ByChannel)
    assert isinstance(chosen.provider_for(NotifyChannel.push), WeComPushNotifier)
    assert isinstance(chosen.provider_for(NotifyChannel.sms), TwilioNotifier)
    assert isinstance(chosen.provider_for(NotifyChannel.voice), TwilioNotifier)
    without_push = settings.model_copy(update={"notifier": "twilio", "push_provider": "none"})
    assert isinstance(build_notifier(without_push, db), TwilioNotifier)


def test_a_desk_naming_a_push_provider_not_installed_refuses_to_start(
    settings: Settings, db: Database, clock: FrozenClock
) -> None:
    named = settings.model_copy(
        update={"push_provider": "dingtalk", "run_scheduler_in_process": True}
    )
    with pytest.raises(RuntimeError, match="HOTLINE_PUSH_PROVIDER='dingtalk'"):
        create_app(named, clock=clock, database=db)


def test_wecom_without_its_agent_id_or_secret_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As copied from config/settings.example.env, with only the provider and corp id filled in.
    monkeypatch.setenv("HOTLINE_PUSH_PROVIDER", "wecom")
    monkeypatch.setenv("HOTLINE_WECOM_CORP_ID", CORP_ID)
    monkeypatch.setenv("HOTLINE_WECOM_AGENT_ID", "")
    monkeypatch.setenv("HOTLINE_WECOM_SECRET", "")
    with pytest.raises(ValidationError, match="HOTLINE_WECOM_AGENT_ID, HOTLINE_WECOM_SECRET"):
        Settings(environment="test")


def test_a_long_text_is_cut_on_whole_characters_within_wecom_limits() -> None:
    number = "WO-20261122-0001"
    blocked = "金地花园D区8号楼前电动车堵住了消防通道<请速处理>"
    message = f"【督办】工单 {number} 已超时：" + blocked * 20
    card = textcard(message, f"{PUBLIC_BASE}/orders/{number}", number)
    assert card.title == f"【督办】{number}"
    assert len(card.description.encode()) <= DESCRIPTION_BYTES
    assert card.description.endswith("…") and "&lt;请速处理&gt;" in card.description
    assert "<" not in card.description

    meeting = "【协商会议】" + "金地花园消防通道协商" * 10 + "｜11-23 15:00｜社区会议室"
    title = textcard(meeting, f"{PUBLIC_BASE}/team", None).title
    assert title.startswith("【协商会议】金地花园") and title.endswith("…")
    assert len(title.encode()) <= 128
    daily = "【日报 11-21】在办工单 3 件，超期 1 件。"
    assert title_of(daily, None) == daily
