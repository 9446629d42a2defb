"""The hotline's tests: Twilio and the 12345 platform configured, the worker driven by hand."""

from __future__ import annotations

import pytest

from dispatch.settings import Settings

TWILIO_TOKEN = "twilio-test-auth-token-0123456789abcdef"
PUBLIC_BASE = "https://hotline.example.gov.cn"
UPSTREAM_SECRET = "upstream-12345-shared-secret-for-tests"
POLICE_SECRET = "police-platform-shared-secret-for-tests"
OPEN311_KEY = "open311-test-key"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "twilio_account_sid": "AC" + "0" * 32,
            "twilio_auth_token": TWILIO_TOKEN,
            "twilio_from_number": "+15005550006",
            "public_base_url": PUBLIC_BASE,
            "upstream_12345_url": "https://12345.example.gov.cn/api/feedback",
            "upstream_12345_secret": UPSTREAM_SECRET,
            "police_platform_url": "https://police.example.gov.cn/api/referrals",
            "police_platform_secret": POLICE_SECRET,
            "open311_api_keys": f"other-key,{OPEN311_KEY}",
            # The outbox worker is driven by the tests, never by a background loop.
            "run_scheduler_in_process": False,
        }
    )
