"""Bad input anywhere gets a clear 4xx in the one error shape, never a 500, and stores nothing.

Complements tests/orders/test_bad_input.py (unknown codes, bad phone, missing fields,
negative offset, naive deadline, a 300k-character description, emoji in descriptions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient

from tests.builders.desk import FIRE_LANE, Person, operator, supervisor

ORDERS = "/api/v1/orders"


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    error: dict[str, Any] = body["error"]
    return error


def stored_orders(client: TestClient) -> int:
    return int(supervisor(client).get(ORDERS).json()["count"])


def raw_post(client: TestClient, desk: Person, body: bytes, content_type: str | None) -> Any:
    headers = dict(desk.headers)
    if content_type:
        headers["Content-Type"] = content_type
    return client.post(ORDERS, content=body, headers=headers)


# --- bodies: too big, not JSON, not an object, not the declared type ---------------------


def test_an_oversized_body_sent_without_a_length_is_cut_off_with_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"description": "'
        for _ in range(64):
            yield "堵".encode() * 4096  # 12 KiB a chunk, 768 KiB in all, no Content-Length
        yield b'"}'

    desk = operator(client)
    response = client.post(
        ORDERS, content=chunks(), headers={**desk.headers, "Content-Type": "application/json"}
    )
    assert error_of(response, 413)["code"] == "too_large"
    assert stored_orders(client) == 0


def test_an_oversized_webhook_form_is_413_before_the_signature_is_read(
    client: TestClient,
) -> None:
    response = client.post("/hotline/sms/incoming", data={"Body": "水" * 200_000})
    assert error_of(response, 413)["code"] == "too_large"


def test_json_that_is_not_an_order_is_a_422(client: TestClient) -> None:
    desk = operator(client)
    for body in (b"[1, 2]", b"null", b'"just a string"', b"42", b"{}"):
        response = raw_post(client, desk, body, "application/json")
        assert error_of(response, 422)["code"] == "validation_error", body
    assert stored_orders(client) == 0


def test_bytes_that_are_not_json_are_a_4xx_naming_the_body(client: TestClient) -> None:
    desk = operator(client)
    nested = b"[" * 50_000 + b"]" * 50_000
    for body in (b'{"description": "\xff\xfe"}', nested):
        response = raw_post(client, desk, body, "application/json")
        assert error_of(response, 400)["message"] == "There was an error parsing the body"
    for body in (b'{"a": 1,}', b"{'single': 'quotes'}", b'{"category": ', b"\x00"):
        response = raw_post(client, desk, body, "application/json")
        assert error_of(response, 422)["field"] == "body", body
    assert stored_orders(client) == 0


def test_a_good_order_under_the_wrong_content_type_is_refused(client: TestClient) -> None:
    desk, body = operator(client), json.dumps(FIRE_LANE, ensure_ascii=False).encode()
    types = ("text/plain", "application/x-www-form-urlencoded", "application/xml", None)
    for content_type in types:
        response = raw_post(client, desk, body, content_type)
        assert error_of(response, 422)["code"] == "validation_error", content_type
    assert stored_orders(client) == 0


# --- Chinese text and its Unicode edge cases ---------------------------------------------


def test_phone_numbers_as_people_type_them_are_understood(client: TestClient) -> None:
    desk = operator(client)
    typed_ways = ("＋８６ １３８－１２３４－５６７８", "138 1234 5678", "+86-138-1234-5678")
    for typed in (*typed_ways, "（０）１３８１２３４５６７８"):
        order = desk.create_order(caller={"phone": typed})
        assert order["caller"]["phone"] == "+8613812345678", typed


def test_phone_numbers_that_are_not_numbers_name_the_field(client: TestClient) -> None:
    desk = operator(client)
    for typed in ("138📞12345678", "一三八一二三四五六七八", "13812345678" * 3, "tel:", "＋"):
        response = desk.post(ORDERS, json={**FIRE_LANE, "caller": {"phone": typed}})
        assert error_of(response, 422)["field"] == "caller.phone", typed
    assert stored_orders(client) == 0


def test_emoji_zero_width_and_right_to_left_marks_are_kept_as_typed(client: TestClient) -> None:
    name = "陈女士👵🏻"
    text = "消防\u200b通道被堵🚲 Fire lane \u202eblocked\u202c，ＤＡ区８号楼"
    order = operator(client).create_order(
        caller={"name": name, "phone": "13812345678"}, description=text
    )
    assert (order["caller"]["name"], order["description"]) == (name, text)


def test_a_lone_surrogate_is_not_text_and_is_refused(client: TestClient) -> None:
    body = json.dumps({**FIRE_LANE, "description": "x"}).replace('"x"', '"\\ud800"').encode()
    response = raw_post(client, operator(client), body, "application/json")
    assert error_of(response, 422)["field"] == "description"
    assert stored_orders(client) == 0


def test_a_nul_character_is_never_a_500(client: TestClient) -> None:
    """PostgreSQL cannot store it (422); SQLite keeps it as typed."""
    desk = operator(client)
    response = desk.post(ORDERS, json={**FIRE_LANE, "description": "堵\u0000住"})
    assert response.status_code in (201, 422), response.text
    if response.status_code == 422:
        error_of(response, 422)
    searched = supervisor(client).get(ORDERS, params={"q": "堵\u0000"})
    assert searched.status_code in (200, 422), searched.text


# --- absurd dates --------------------------------------------------------------------------


ABSURD_TIMES = (
    "9999-12-31T23:59:59-12:00",  # past the year 9999 once in UTC
    "0001-01-01T00:00:00+14:00",  # before the year 1 once in UTC
    "2026-02-30T10:00:00+08:00",
    "2026-11-22T25:00:00+08:00",
    "99999-01-01T00:00:00Z",
    "明天上午",
)


def test_an_absurd_deadline_extension_is_a_422_and_changes_nothing(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    boss = supervisor(client)
    before = boss.get(f"{ORDERS}/{number}").json()["resolve_due_at"]
    for when in (*ABSURD_TIMES, "1970-01-01T00:00:00Z"):
        response = boss.act(number, "extend", {"resolve_due_at": when, "reason": "等配件"})
        assert error_of(response, 422)["code"] in ("validation_error", "out_of_range", "invalid")
    assert boss.get(f"{ORDERS}/{number}").json()["resolve_due_at"] == before


def test_an_absurd_date_filter_is_a_4xx(client: TestClient) -> None:
    boss = supervisor(client)
    for when in ABSURD_TIMES:
        error_of(boss.get(ORDERS, params={"created_from": when}), 422)
        requests = client.get("/open311/v2/requests.json", params={"start_date": when})
        assert requests.status_code in (400, 422), (when, requests.text)


def test_an_absurd_report_period_is_a_422(client: TestClient) -> None:
    boss = supervisor(client)
    for path, params in (
        ("/api/v1/reports/teams", {"from": "0001-01-01", "to": "0001-01-07"}),
        ("/api/v1/reports/teams", {"from": "9999-12-25", "to": "9999-12-31"}),
        ("/api/v1/reports/teams", {"from": "2026-11-20", "to": "2026-11-01"}),
        ("/api/v1/reports/daily", {"day": "9999-12-31"}),
    ):
        error_of(boss.get(path, params=params), 422)


# --- pages, ids and numbers out of range ------------------------------------------------


def test_a_negative_or_absurd_page_is_a_422(client: TestClient) -> None:
    boss = supervisor(client)
    for path, params in (
        (ORDERS, {"limit": 0}),
        (ORDERS, {"limit": -5}),
        (ORDERS, {"limit": 10**9}),
        (ORDERS, {"offset": 10**12}),
        (ORDERS, {"offset": "１"}),
        ("/api/v1/outbox", {"offset": -1}),
        ("/api/v1/outbox", {"offset": 2**63}),
        ("/api/v1/escalation/extension-requests", {"limit": -1}),
    ):
        assert error_of(boss.get(path, params=params), 422)["field"] in params


def test_an_order_reference_that_cannot_exist_is_a_404(client: TestClient) -> None:
    boss = supervisor(client)
    for ref in ("99999999999999999999", "²", "１２", "-1", "WO-%2F"):
        assert error_of(boss.get(f"{ORDERS}/{ref}"), 404)["code"] == "not_found", ref


def test_an_id_no_database_integer_can_hold_is_a_422(client: TestClient) -> None:
    boss = supervisor(client)
    for path in (
        "/api/v1/outbox/9223372036854775808/retry",
        "/api/v1/escalation/extension-requests/9223372036854775808/refuse",
        "/api/v1/outbox/0/retry",
    ):
        error_of(boss.post(path, json={"reason": "不批"}), 422)


def test_a_user_with_an_empty_team_is_a_user_without_a_team(client: TestClient) -> None:
    admin = Person(client, "admin")
    body = {
        "username": "op.new",
        "password": "long-enough-pw",
        "display_name": "新",
        "role": "operator",
    }
    made = admin.post("/api/v1/users", json={**body, "team_code": ""})
    assert made.status_code == 201, made.text
    assert made.json()["team_code"] is None
    leader = admin.post(
        "/api/v1/users", json={**body, "username": "ld.new", "role": "team_leader", "team_code": ""}
    )
    assert error_of(leader, 422)["field"] == "team_code"
