"""Every route x every kind of caller: the answer is the one the access table promises.

No token is 401, a role the route does not serve is 403, another team's order is 404 (as
good as missing), a webhook refuses anyone without its own signature, and nothing is a 5xx.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from starlette.routing import Mount, Route
from starlette.websockets import WebSocketDisconnect

from dispatch.live.protocol import CLOSE_UNAUTHORIZED
from tests.builders.pictures import TINY_PNG
from tests.security.access import MISSING_ON_THE_DESK, ROUTES, Gate, Rule, is_order_scoped
from tests.security.desk import PERSONAS, Desk, Persona

STATIC_FILES = {"/static/web": "/css/app.css", "/static/swagger": "/swagger-ui.css"}


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """What the app answers, read from its router: a new endpoint shows up here by itself."""
    served: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIWebSocketRoute):
            served.add(("WEBSOCKET", route.path))
        elif isinstance(route, Mount):
            served.add(("MOUNT", route.path))
        elif isinstance(route, APIRoute | Route):
            path = context.path
            assert path is not None
            served |= {(m, path) for m in (context.methods or set()) if m != "HEAD"}
        else:
            raise AssertionError(f"a kind of route the access table cannot judge: {route!r}")
    return served


def test_every_route_the_app_serves_has_a_line_in_the_access_table(desk: Desk) -> None:
    served = served_routes(desk.client.app)  # type: ignore[arg-type]
    missing = sorted(served - ROUTES.keys())
    stale = sorted(ROUTES.keys() - served)
    assert not missing, f"decide who may call these, in tests/security/access.py: {missing}"
    assert not stale, f"the access table names routes the app no longer serves: {stale}"


def _url(desk: Desk, method: str, path: str) -> str:
    if method == "MOUNT":
        return path + STATIC_FILES[path]
    values = {
        "ref": desk.order_number,
        "number": desk.order_number,
        "code": "jindi-property",
        "username": "operator.wang",  # a user no persona logs in as: sign-out ends no token
        "phone": "13812345678",
        "request_id": "1",
        "shift_id": "1",
        "photo_id": "1",
        "recording_sid": "RE" + "0" * 32,
        "meeting_id": "1",
        "entry_id": "1",
        "handover_id": "1",
        "version": "0123456789ab",
        "message_id": "1",
        "fmt": "json",
        "ext": "csv",
        "service_code": "fire_lane",
        "service_request_id": desk.order_number,
    }
    return path.format(**values)


# Well-formed bodies for the order actions a team may take: another team sending them must
# hear "no such order", not "your body is incomplete".
TEAM_ACTION_BODIES: dict[str, dict[str, str]] = {
    "/api/v1/orders/{ref}/return": {"reason_code": "not_our_area", "reason": "不归我们管"},
    "/api/v1/orders/{ref}/hand-over": {"member": "member.jindi"},
    "/api/v1/orders/{ref}/notes": {"text": "已到现场"},
    "/api/v1/orders/{ref}/resolve": {"result": "已处理"},
    "/api/v1/escalation/orders/{ref}/extension-requests": {
        "reason": "等配件",
        "new_due_at": "2026-12-01T10:00:00+08:00",
    },
}


# Routes whose body is a picture, not JSON: sent as one to a team that must not see the order.
PICTURE_PATHS = {"/api/v1/orders/{ref}/photos"}


def _call(desk: Desk, method: str, path: str, persona: Persona) -> Any:
    url, headers = _url(desk, method, path), desk.headers(persona, path)
    if method in ("POST", "PUT"):
        # Otherwise an empty but well-formed body: the gate answers before the payload matters,
        # and no one's call changes the order the next caller asks about.
        if path in PICTURE_PATHS:
            picture = TINY_PNG if not persona.own_team else b""
            headers = {**headers, "Content-Type": "image/png"}
            return desk.client.request(method, url, content=picture, headers=headers)
        body = TEAM_ACTION_BODIES.get(path, {}) if not persona.own_team else {}
        return desk.client.request(method, url, json=body, headers=headers)
    return desk.client.request("GET" if method == "MOUNT" else method, url, headers=headers)


def _error_code(response: Any) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return str(body["error"]["code"])


def check_token_gate(rule: Rule, path: str, persona: Persona, response: Any) -> None:
    status = response.status_code
    if persona.role is None:
        assert status == 401, response.text
        assert _error_code(response) == "not_authenticated"
    elif persona.role not in rule.roles:
        assert status == 403, response.text
        assert _error_code(response) == "forbidden"
    elif is_order_scoped(path) and not persona.own_team:
        assert status == 404, response.text
        assert _error_code(response) == "not_found"
    else:
        assert status not in (401, 403), response.text
        if path in MISSING_ON_THE_DESK:  # the order was found; the thing on it was not
            assert status == 404, response.text
            assert response.json()["error"]["field"] == MISSING_ON_THE_DESK[path], response.text
        elif is_order_scoped(path):
            assert status != 404, response.text


HTTP_CASES = [
    pytest.param(method, path, persona, id=f"{method} {path} as {persona.label}")
    for (method, path) in ROUTES
    if method != "WEBSOCKET"
    for persona in PERSONAS
]


@pytest.mark.parametrize(("method", "path", "persona"), HTTP_CASES)
def test_each_caller_gets_the_answer_the_table_promises(
    desk: Desk, method: str, path: str, persona: Persona
) -> None:
    rule = ROUTES[(method, path)]
    response = _call(desk, method, path, persona)
    assert response.status_code < 500, response.text
    if rule.gate is Gate.token:
        check_token_gate(rule, path, persona, response)
    elif rule.gate is Gate.twilio:
        # A bearer token is no Twilio signature, whoever it belongs to.
        assert response.status_code == 403, response.text
        assert _error_code(response) == "forbidden"
    elif rule.gate is Gate.upstream:
        assert response.status_code == 401, response.text
        assert _error_code(response) == "not_authenticated"
    elif rule.gate is Gate.open311_key:
        assert response.status_code == 403, response.text
    elif rule.gate is Gate.photo_link:
        # A bearer token opens no photo link, whoever it belongs to.
        assert response.status_code == 403, response.text
        assert _error_code(response) == "forbidden"
    else:
        assert response.status_code not in (401, 403), response.text


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.label for p in PERSONAS])
def test_the_push_socket_lets_in_every_role_and_nobody_without_a_token(
    desk: Desk, persona: Persona
) -> None:
    if persona.username is None:
        with desk.client.websocket_connect("/ws") as ws:
            ws.send_json({"type": "auth"})
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == CLOSE_UNAUTHORIZED
        return
    token = desk.tokens[persona.username]
    with desk.client.websocket_connect(f"/ws?token={token}") as ws:
        ready = ws.receive_json()
    assert ready["type"] == "ready"
    assert ready["role"] == persona.role
