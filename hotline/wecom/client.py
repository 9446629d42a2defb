"""The few WeCom server calls push needs: the access token, a member by mobile, an app message.

The token (7200 s) and each mobile's userid are kept for the life of the client, which the
scheduler builds once per process: WeCom limits how often a token may be fetched, and a
lookup per message would double the calls on the night of a burst.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from dispatch.settings import Settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
REFRESH_EARLY = 300.0  # seconds before expiry: a token never runs out between check and use
# access_token invalid (40014), expired (42001), credential refused (40001): fetch, try again.
STALE_TOKEN = frozenset({40001, 40014, 42001})
# System busy (-1), call limits (45009, 45033): the same call succeeds later.
BUSY = frozenset({-1, 45009, 45033})
# No such member / mobile (46004, 60111), a malformed mobile (60103), nobody the app may
# message (81013): that person is not reachable on WeCom until an admin adds them.
NOT_A_MEMBER = frozenset({46004, 60103, 60111, 81013})


class WeComError(Exception):
    """WeCom refused the call; `errcode` is its own (None: refused by HTTP status alone)."""

    def __init__(self, detail: str, errcode: int | None = None) -> None:
        super().__init__(detail if errcode is None else f"errcode {errcode}: {detail}")
        self.errcode = errcode

    @property
    def retryable(self) -> bool:
        return self.errcode in BUSY


class WeComUnreachable(Exception):
    """No answer worth reading (network, timeout, HTTP 5xx): the same call may succeed later."""


@dataclass(frozen=True)
class TextCard:
    title: str
    description: str
    url: str


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float  # on the client's clock


class WeComClient:
    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = httpx.Client(
            base_url=settings.wecom_api_base.rstrip("/"), transport=transport, timeout=TIMEOUT
        )
        self._credentials = {"corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret}
        self._agent_id = settings.wecom_agent_id
        self._clock = clock
        self._token: _Token | None = None
        # Held while a token is fetched: a burst after expiry asks WeCom once, not per thread.
        self._token_lock = threading.Lock()
        self._userids: dict[str, str] = {}  # mobile -> userid; a dict's get and set are atomic

    def send_textcard(self, mobile: str, card: TextCard) -> str:
        """To the member with this mobile (national number); returns WeCom's msgid."""
        userid = self.userid_by_mobile(mobile)
        try:
            return self._send_textcard(userid, card)
        except WeComError as exc:
            if exc.errcode in NOT_A_MEMBER:
                self._userids.pop(mobile, None)  # left, or re-joined under another userid
            raise

    def userid_by_mobile(self, mobile: str) -> str:
        userid = self._userids.get(mobile)
        if userid is None:
            userid = str(self._call("/cgi-bin/user/getuserid", {"mobile": mobile})["userid"])
            self._userids[mobile] = userid
        return userid

    def _send_textcard(self, userid: str, card: TextCard) -> str:
        answer = self._call(
            "/cgi-bin/message/send",
            {
                "touser": userid,
                "msgtype": "textcard",
                "agentid": self._agent_id,
                "textcard": {
                    "title": card.title,
                    "description": card.description,
                    "url": card.url,
                    "btntxt": "详情",
                },
                # Our delivery is at-least-once: a send repeated after a timeout or a crash
                # (the same JSON; only the token in the URL may differ) reaches the phone once.
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 1800,
            },
        )
        if userid in str(answer.get("invaliduser", "")).split("|"):
            # Answered 0 yet delivered to no one: the refusal WeCom gives as 81013 when
            # every recipient is invalid, so it is handled as that.
            raise WeComError(f"invaliduser {userid}, not delivered", errcode=81013)
        return str(answer.get("msgid", ""))

    def _call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        token = self._access_token()
        answer = self._post(path, body, token)
        if answer.get("errcode") in STALE_TOKEN:
            self._forget(token)
            answer = self._post(path, body, self._access_token())
        return _checked(answer)

    def _post(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        return _read(lambda: self._http.post(path, params={"access_token": token}, json=body))

    def _access_token(self) -> str:
        with self._token_lock:
            if self._token is None or self._clock() >= self._token.refresh_at:
                self._token = self._fetch_token()
            return self._token.value

    def _fetch_token(self) -> _Token:
        credentials = self._credentials
        answer = _checked(_read(lambda: self._http.get("/cgi-bin/gettoken", params=credentials)))
        lifetime = float(answer.get("expires_in", 7200))
        return _Token(str(answer["access_token"]), self._clock() + lifetime - REFRESH_EARLY)

    def _forget(self, stale: str) -> None:
        with self._token_lock:
            # Another thread may have replaced it already; that new one is kept.
            if self._token is not None and self._token.value == stale:
                self._token = None


def _read(request: Callable[[], httpx.Response]) -> dict[str, Any]:
    try:
        response = request()
    except httpx.HTTPError as exc:
        raise WeComUnreachable(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise WeComUnreachable(f"HTTP {response.status_code}")
    if not response.is_success:  # a wrong HOTLINE_WECOM_API_BASE, or a gateway refusing us
        raise WeComError(f"HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as exc:
        # WeCom always answers JSON: anything else is a proxy or gateway in between.
        raise WeComUnreachable(f"HTTP {response.status_code}, not JSON") from exc
    if not isinstance(answer, dict):
        raise WeComUnreachable(f"HTTP {response.status_code}, not a JSON object")
    return answer


def _checked(answer: dict[str, Any]) -> dict[str, Any]:
    errcode = int(answer.get("errcode", 0))
    if errcode != 0:
        raise WeComError(str(answer.get("errmsg", "")), errcode=errcode)
    return answer
