"""The push channel on 企业微信: an app message (text card) to the person's WeCom, found by the
mobile number the desk has for them. It reaches the phone with the page closed."""

from __future__ import annotations

import re

import httpx
from sqlmodel import select

from dispatch.auth.models import User
from dispatch.database import Database
from dispatch.notify.port import NotifyChannel, SendResult
from dispatch.phones import mask_phone
from dispatch.settings import Settings
from hotline.wecom.card import textcard
from hotline.wecom.client import (
    NOT_A_MEMBER,
    TextCard,
    WeComClient,
    WeComError,
    WeComUnreachable,
)

RECIPIENT_PREFIX = "user:"


class WeComPushNotifier:
    """Push only: texts and calls stay with HOTLINE_NOTIFIER (dispatch.notify.by_channel)."""

    def __init__(
        self, settings: Settings, database: Database, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._db = database
        self._client = WeComClient(settings, transport)
        self._base_url = settings.public_base_url.rstrip("/")
        prefix = re.escape(settings.order_number_prefix)
        self._order_number = re.compile(rf"{prefix}-\d{{8}}-\d+")

    def send(self, recipient: str, channel: NotifyChannel, message: str, ref: str) -> SendResult:
        if channel != NotifyChannel.push:
            return SendResult(ok=False, error=f"wecom cannot send {channel}", retryable=False)
        user = self._person(recipient)
        if user is None:
            return SendResult(ok=False, error=f"no user {recipient!r}", retryable=False)
        if not user.phone:
            error = f"{user.username} has no phone to find on WeCom"
            return SendResult(ok=False, error=error, retryable=False)
        try:
            msgid = self._client.send_textcard(_national(user.phone), self._card(user, message))
        except WeComUnreachable as exc:
            return SendResult(ok=False, error=f"WeCom unreachable: {exc}")
        except WeComError as exc:
            return _refused(user, exc)
        return SendResult(ok=True, provider_ref=msgid)

    def _card(self, user: User, message: str) -> TextCard:
        found = self._order_number.search(message)
        order_number = found.group() if found else None
        return textcard(message, self._page_for(user, order_number), order_number)

    def _person(self, recipient: str) -> User | None:
        if not recipient.startswith(RECIPIENT_PREFIX):
            return None
        username = recipient.removeprefix(RECIPIENT_PREFIX)
        with self._db.session() as session:
            return session.exec(select(User).where(User.username == username)).first()

    def _page_for(self, user: User, order_number: str | None) -> str:
        """Where 详情 opens. A team's /team: 签收 and 办结 are there, and the order page
        offers a team no actions. The desk's people: the order the text names, else the board."""
        if user.role.is_team_role:
            return f"{self._base_url}/team"
        if order_number:
            return f"{self._base_url}/orders/{order_number}"
        return f"{self._base_url}/board"


def _national(phone: str) -> str:
    """WeCom keeps mainland mobiles as the 11 digits, without +86."""
    return phone.removeprefix("+86")


def _refused(user: User, exc: WeComError) -> SendResult:
    if exc.errcode in NOT_A_MEMBER:
        who = f"{user.username} ({mask_phone(user.phone)})"
        error = f"no WeCom member for {who}: {exc}"
        return SendResult(ok=False, error=error, retryable=False)
    return SendResult(ok=False, error=f"WeCom refused: {exc}", retryable=exc.retryable)


def register() -> None:
    """Make HOTLINE_PUSH_PROVIDER=wecom available to dispatch.notify's registry."""
    from dispatch.notify.registry import register_push_provider

    register_push_provider("wecom", WeComPushNotifier)
