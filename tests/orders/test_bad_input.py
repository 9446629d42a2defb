"""Bad requests get a clear 4xx naming the field, and change nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import FIRE_LANE, operator, supervisor


def _error(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    error: dict[str, object] = body["error"]
    return error


def test_unknown_category_is_named_in_the_error(client: TestClient) -> None:
    response = operator(client).post("/api/v1/orders", json={**FIRE_LANE, "category": "ufo"})
    assert response.status_code == 422
    assert _error(response)["field"] == "category"
    assert "ufo" in str(_error(response)["message"])


def test_unknown_compound_is_named_in_the_error(client: TestClient) -> None:
    response = operator(client).post(
        "/api/v1/orders", json={**FIRE_LANE, "address": {"compound": "atlantis"}}
    )
    assert response.status_code == 422
    assert _error(response)["field"] == "address.compound"


def test_compound_in_another_community_is_refused(client: TestClient) -> None:
    response = operator(client).post(
        "/api/v1/orders",
        json={**FIRE_LANE, "address": {"community": "xiyuan", "compound": "jindi-garden"}},
    )
    assert response.status_code == 422
    assert _error(response)["field"] == "address.community"


def test_bad_phone_number_is_refused(client: TestClient) -> None:
    response = operator(client).post(
        "/api/v1/orders", json={**FIRE_LANE, "caller": {"phone": "12"}}
    )
    assert response.status_code == 422
    assert _error(response)["field"] == "caller.phone"


def test_full_width_digits_in_phone_are_understood(client: TestClient) -> None:
    order = operator(client).create_order(caller={"phone": "１３８１２３４５６７８"})
    assert order["caller"]["phone"] == "+8613812345678"


def test_missing_description_names_the_field(client: TestClient) -> None:
    body = {k: v for k, v in FIRE_LANE.items() if k != "description"}
    response = operator(client).post("/api/v1/orders", json=body)
    assert response.status_code == 422
    assert _error(response)["field"] == "description"


def test_unknown_field_is_refused(client: TestClient) -> None:
    response = operator(client).post("/api/v1/orders", json={**FIRE_LANE, "priorty": "P1"})
    assert response.status_code == 422
    assert _error(response)["field"] == "priorty"


def test_malformed_json_is_a_clear_422(client: TestClient) -> None:
    desk = operator(client)
    response = client.post(
        "/api/v1/orders",
        content=b'{"category": ',
        headers={**desk.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_failed_create_stores_nothing(client: TestClient) -> None:
    operator(client).post("/api/v1/orders", json={**FIRE_LANE, "category": "ufo"})
    assert supervisor(client).get("/api/v1/orders").json()["count"] == 0


def test_negative_offset_is_refused(client: TestClient) -> None:
    response = supervisor(client).get("/api/v1/orders", params={"offset": -1})
    assert response.status_code == 422
    assert _error(response)["field"] == "offset"


def test_deadline_without_a_timezone_is_refused(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    response = supervisor(client).act(
        number, "extend", {"resolve_due_at": "2026-12-01T10:00:00", "reason": "x"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "resolve_due_at"


def test_oversized_body_is_413_and_stores_nothing(client: TestClient) -> None:
    huge = {**FIRE_LANE, "description": "堵" * 300_000}
    response = operator(client).post("/api/v1/orders", json=huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert supervisor(client).get("/api/v1/orders").json()["count"] == 0


def test_emoji_and_mixed_scripts_in_description_are_kept(client: TestClient) -> None:
    text = "消防通道被堵🚲🚲 Fire lane blocked، ＤＡ区"
    order = operator(client).create_order(description=text)
    assert order["description"] == text
