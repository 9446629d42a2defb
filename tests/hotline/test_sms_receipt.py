"""受理短信: a resident who phoned gets the order's number by text and how to ask where it
stands; never when the text could harm (a confidential call) or could not arrive."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders.desk import operator, supervisor
from tests.hotline.twilio_builders import Call


def _receipts(client: TestClient) -> list[dict[str, Any]]:
    texts = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    return [m for m in texts["data"] if m["kind"] == "receipt"]


def test_a_caller_gets_the_order_number_and_how_to_ask_for_progress(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    (receipt,) = _receipts(client)
    assert receipt["order_number"] == number
    assert receipt["status"] == "pending"


def test_a_caller_who_left_the_request_with_the_voice_menu_gets_one_too(
    client: TestClient,
) -> None:
    call = Call(client, caller="+8613912345678")
    call.post("menu", SpeechResult="楼顶漏水了，一直没人来修")
    (receipt,) = _receipts(client)
    assert receipt["order_number"].startswith("WO-")


@pytest.mark.parametrize(
    ("why", "order"),
    [
        ("confidential: a text on a shared phone can endanger the caller", {"confidential": True}),
        ("a landline takes no texts", {"caller": {"name": "王先生", "phone": "010-62345678"}}),
        ("no number to text", {"caller": {"name": "匿名"}}),
    ],
)
def test_no_receipt_when_it_could_harm_or_not_arrive(
    client: TestClient, why: str, order: dict[str, Any]
) -> None:
    operator(client).create_order(**order)
    assert _receipts(client) == [], why
