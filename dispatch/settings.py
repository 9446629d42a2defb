"""The one settings object: read from the environment (prefix HOTLINE_) and .env, nowhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me-please-0123456789"
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'hotline.db'}",
        validation_alias="DATABASE_URL",
    )
    secret_key: str = DEVELOPMENT_SECRET
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # The pages renew their token while open; a login still ends after this long (a shift).
    session_hours: int = Field(default=12, ge=1, le=7 * 24)
    timezone: str = "Asia/Shanghai"
    config_dir: Path = REPO_ROOT / "config"
    default_region: str = "CN"
    order_number_prefix: str = "WO"
    duplicate_window_hours: int = Field(default=24, ge=1)
    max_page_size: int = Field(default=200, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # A phone photo as taken (the pages shrink theirs before sending; API clients may not).
    max_photo_bytes: int = Field(default=12 * 1024 * 1024, ge=64 * 1024)
    # Webhooks (/hotline/, /open311/) per source address and minute, counted per API instance.
    public_requests_per_minute: int = Field(default=300, ge=1)
    run_scheduler_in_process: bool = True
    escalation_sweep_seconds: float = Field(default=5.0, gt=0, le=3600)
    live_heartbeat_seconds: float = Field(default=15.0, gt=0, le=300)
    # How soon an open socket learns its user was locked out, signed out or moved.
    live_recheck_seconds: float = Field(default=15.0, gt=0, le=300)
    live_queue_size: int = Field(default=1000, ge=10)  # per socket; overflow earns a resync
    live_poll_seconds: float = Field(default=1.0, gt=0, le=60)  # tail when no wake-up came
    live_gap_grace_seconds: float = Field(default=1.0, ge=0, le=30)
    # How often an instance looks which rules are in force, besides PostgreSQL's NOTIFY.
    rules_recheck_seconds: float = Field(default=10.0, gt=0, le=300)
    notifier: Literal["console", "twilio"] = "console"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    # 短信签名: the signature registered with the carriers ("【金凤区12345】"), put before every
    # text the desk sends; mainland carriers refuse business texts without one.
    sms_signature: str = Field(default="", max_length=20)
    twilio_validate_signatures: bool = True
    # Push to a phone whose page is closed: 企业微信 app messages (Web Push rides on FCM,
    # unreachable in mainland China). 政务微信 has the same API on the desk's own host.
    push_provider: Literal["none", "wecom"] = "none"
    wecom_corp_id: str = ""
    wecom_agent_id: int | None = None
    wecom_secret: str = ""
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    public_base_url: str = "http://127.0.0.1:8000"
    upstream_12345_url: str = ""
    upstream_12345_secret: str = ""
    # The photo links in a 办结 sent to 12345 open without a login for this long: enough for
    # the platform to fetch them and for a reviewer to look within the week.
    upstream_12345_photo_link_days: int = Field(default=7, ge=1, le=90)
    police_platform_url: str = ""
    police_platform_secret: str = ""
    open311_api_keys: str = ""  # comma-separated keys handed to Open311 clients
    # The scheduler moves the full pictures of long-closed orders here every night (None: off).
    photo_archive_dir: Path | None = None
    photo_archive_after_days: int = Field(default=90, ge=1)

    @field_validator("photo_archive_dir", "wecom_agent_id", mode="before")
    @classmethod
    def _empty_means_off(cls, value: object) -> object:
        # `HOTLINE_PHOTO_ARCHIVE_DIR=` copied from the example file would otherwise be
        # Path(""), the working directory: archiving there is worse than not archiving.
        # And `HOTLINE_WECOM_AGENT_ID=` would be a parse error rather than "not set".
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_default_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
                raise ValueError("HOTLINE_SECRET_KEY must be set to a private value of 32+ chars")
            if not self.twilio_validate_signatures:
                raise ValueError("Twilio signature checks cannot be switched off in production")
        return self

    @model_validator(mode="after")
    def _push_provider_is_configured(self) -> Settings:
        # Found at start-up, not at the first escalation in the night.
        if self.push_provider == "wecom":
            needed = {
                "HOTLINE_WECOM_CORP_ID": self.wecom_corp_id,
                "HOTLINE_WECOM_AGENT_ID": self.wecom_agent_id,
                "HOTLINE_WECOM_SECRET": self.wecom_secret,
            }
            missing = [name for name, value in needed.items() if not value]
            if missing:
                raise ValueError(f"HOTLINE_PUSH_PROVIDER=wecom needs {', '.join(missing)}")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
