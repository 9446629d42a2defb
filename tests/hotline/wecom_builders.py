"""企业微信 as the outside world the tests control: its members, its tokens, its bad moments."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

CORP_ID = "ww0123456789abcdef"
AGENT_ID = 1000002
SECRET = "wecom-app-secret-for-tests"
WECOM = {
    "push_provider": "wecom",
    "wecom_corp_id": CORP_ID,
    "wecom_agent_id": AGENT_ID,
    "wecom_secret": SECRET,
}
# Demo people on the desk's WeCom, by the mobile the desk has for them.
MEMBERS = {"13800000101": "MaJianGuo", "13800000003": "ZhangDuBan"}


def refusal(errcode: int, errmsg: str) -> httpx.Response:
    """How WeCom says no: HTTP 200 and an errcode."""
    return httpx.Response(200, json={"errcode": errcode, "errmsg": errmsg})


@dataclass
class WeComPlatform:
    """Issues tokens, finds members by mobile, takes app messages; `trouble` answers the next
    sends (a response, or an exception as the network would raise) before all is well again."""

    members: dict[str, str] = field(default_factory=lambda: dict(MEMBERS))
    trouble: list[httpx.Response | Exception] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    lookups: list[str] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)

    def expire_tokens(self) -> None:
        self.expired.update(self.tokens)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/gettoken":
            return self._token(request)
        if request.url.params["access_token"] in self.expired:
            return refusal(42001, "access_token expired")
        body = json.loads(request.content)
        if request.url.path == "/cgi-bin/user/getuserid":
            return self._lookup(body["mobile"])
        assert request.url.path == "/cgi-bin/message/send"
        return self._message(body)

    def _token(self, request: httpx.Request) -> httpx.Response:
        assert request.url.params["corpid"] == CORP_ID
        assert request.url.params["corpsecret"] == SECRET
        self.tokens.append(f"token-{len(self.tokens) + 1}")
        answer = {"errcode": 0, "access_token": self.tokens[-1], "expires_in": 7200}
        return httpx.Response(200, json=answer)

    def _lookup(self, mobile: str) -> httpx.Response:
        self.lookups.append(mobile)
        if mobile not in self.members:
            return refusal(46004, "user no exist")
        return httpx.Response(200, json={"errcode": 0, "userid": self.members[mobile]})

    def _message(self, body: dict[str, Any]) -> httpx.Response:
        if self.trouble:
            trouble = self.trouble.pop(0)
            if isinstance(trouble, Exception):
                raise trouble
            return trouble
        self.cards.append(body)
        answer = {"errcode": 0, "invaliduser": "", "msgid": f"msg-{len(self.cards)}"}
        return httpx.Response(200, json=answer)
