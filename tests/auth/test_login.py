"""Logging in."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD


def test_operator_logs_in_and_gets_a_short_lived_token(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"username": "operator.li", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 30 * 60
    assert body["user"]["role"] == "operator"


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = client.post("/api/v1/auth/login", json={"username": "operator.li", "password": "x"})
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
