"""A retried create (flaky network, double click) never makes two orders."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import FIRE_LANE, operator, supervisor


def test_same_idempotency_key_returns_the_same_order(client: TestClient) -> None:
    desk = operator(client)
    key = {"Idempotency-Key": "call-2026-11-22-0001"}
    first = desk.post("/api/v1/orders", json=FIRE_LANE, headers=key)
    again = desk.post("/api/v1/orders", json=FIRE_LANE, headers=key)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert supervisor(client).get("/api/v1/orders").json()["count"] == 1


def test_reusing_a_key_for_a_different_order_is_a_conflict(client: TestClient) -> None:
    desk = operator(client)
    key = {"Idempotency-Key": "call-2026-11-22-0002"}
    assert desk.post("/api/v1/orders", json=FIRE_LANE, headers=key).status_code == 201
    other = {**FIRE_LANE, "description": "完全不同的事情：井盖坏了"}
    response = desk.post("/api/v1/orders", json=other, headers=key)
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "Idempotency-Key"
    assert supervisor(client).get("/api/v1/orders").json()["count"] == 1


def test_two_simultaneous_retries_make_one_order(client: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    desk = operator(client)
    key = {"Idempotency-Key": "double-click-0003"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(lambda _: desk.post("/api/v1/orders", json=FIRE_LANE, headers=key), range(4))
        )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 1
    assert set(statuses) <= {200, 201, 409}
    assert len({a.json()["number"] for a in answers if a.status_code in (200, 201)}) == 1
    assert supervisor(client).get("/api/v1/orders").json()["count"] == 1
