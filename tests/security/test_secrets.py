"""Secrets come from the environment; production refuses to start without real ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from dispatch.settings import DEVELOPMENT_SECRET, Settings

PRIVATE = "a-private-production-secret-of-enough-length-0123"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No .env from the working directory and no HOTLINE_ variables from the shell."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("HOTLINE_"):
            monkeypatch.delenv(name)


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="HOTLINE_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("HOTLINE_SECRET_KEY", DEVELOPMENT_SECRET)
    with pytest.raises(ValidationError, match="HOTLINE_SECRET_KEY"):
        Settings()


def test_production_refuses_a_short_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_ENVIRONMENT", "production")
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "short-secret")
    with pytest.raises(ValidationError, match="32"):
        Settings()


def test_production_refuses_twilio_signature_checks_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_ENVIRONMENT", "production")
    monkeypatch.setenv("HOTLINE_SECRET_KEY", PRIVATE)
    monkeypatch.setenv("HOTLINE_TWILIO_VALIDATE_SIGNATURES", "false")
    with pytest.raises(ValidationError, match="Twilio signature"):
        Settings()


def test_production_starts_with_a_private_secret_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOTLINE_ENVIRONMENT", "production")
    monkeypatch.setenv("HOTLINE_SECRET_KEY", PRIVATE)
    settings = Settings()
    assert settings.secret_key == PRIVATE
    assert settings.twilio_validate_signatures


def test_a_dotenv_file_beside_the_process_is_read_too(monkeypatch: pytest.MonkeyPatch) -> None:
    with open(".env", "w", encoding="utf-8") as env:
        env.write(f"HOTLINE_ENVIRONMENT=production\nHOTLINE_SECRET_KEY={PRIVATE}\n")
    assert Settings().secret_key == PRIVATE


def test_development_may_use_the_development_secret() -> None:
    assert Settings().secret_key == DEVELOPMENT_SECRET
