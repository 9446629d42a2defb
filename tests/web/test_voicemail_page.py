"""语音留言 on the order page: ▶ fetches the night's voicemail with the token, then it plays.

The app is the real one under uvicorn, its Twilio HTTP a fake (tests/hotline/twilio_media.py)
plugged into the same seam the hotline tests use: the page, the route, the order and the note
are all real, only api.twilio.com is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from dispatch.settings import Settings
from hotline.twilio.recordings import TwilioRecordings
from tests.hotline.conftest import PUBLIC_BASE, TWILIO_TOKEN
from tests.hotline.twilio_builders import ACCOUNT_SID
from tests.hotline.twilio_media import MP3_BYTES, TwilioMedia, leave_voicemail
from tests.web import conftest as web
from tests.web.conftest import Desk, Pages
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser

# The player's object URL, read back as bytes (Playwright's response.body() is empty here).
PLAYER_BYTES = "async (src) => Array.from(new Uint8Array(await (await fetch(src)).arrayBuffer()))"


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    """Twilio configured, so its webhooks are signed and the account's recordings asked for."""
    twilio = {"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": TWILIO_TOKEN}
    return web_settings.model_copy(update={**twilio, "public_base_url": PUBLIC_BASE})


@pytest.fixture(autouse=True)
def twilio(monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioMedia]:
    """The fake answers for api.twilio.com in the app the `desk` fixture starts."""
    fake = TwilioMedia()
    real_create_app = web.create_app

    def create_app(settings: Settings, **kwargs: Any) -> FastAPI:
        app = real_create_app(settings, **kwargs)
        app.state.twilio_recordings = TwilioRecordings(settings, fake.transport())
        return app

    monkeypatch.setattr(web, "create_app", create_app)
    yield fake


def test_morning_operator_plays_the_night_voicemail_from_the_timeline(
    pages: Pages, desk: Desk, twilio: TwilioMedia
) -> None:
    sid = twilio.holds()
    left = leave_voicemail(desk.http, desk.db, sid)

    page = pages.open("operator.li", f"/orders/{left.order_number}")
    note = page.locator("#timeline li.kind-note_added", has=page.locator(".voicemail"))
    play = note.get_by_role("button", name="▶ 播放留言")
    expect(play).to_be_visible()
    player = note.locator("audio")
    expect(player).to_be_hidden()
    assert (player.get_attribute("preload"), player.get_attribute("controls")) == ("none", "")
    assert_only_chinese(page)
    assert twilio.asked == []  # nothing is fetched before the operator asks for it

    with page.expect_response(lambda r: f"/recordings/{sid}" in r.url) as heard:
        play.click()
    answer = heard.value
    assert answer.status == 200
    assert answer.headers["content-type"] == "audio/mpeg"
    assert answer.request.headers["authorization"].startswith("Bearer ")
    expect(player).to_be_visible()
    expect(play).to_be_hidden()
    src = player.get_attribute("src") or ""
    assert src.startswith("blob:")
    assert page.evaluate(PLAYER_BYTES, src) == list(MP3_BYTES)  # what the player holds
    (asked,) = twilio.asked
    assert asked.url.host == "api.twilio.com"
