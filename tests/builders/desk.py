"""Acting as the desk's people over HTTP: log in, create orders, take actions."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD

FIRE_LANE = {
    "channel": "phone",
    "caller": {"name": "陈女士", "phone": "13812345678"},
    "address": {"compound": "jindi-garden", "building": "D区8号楼"},
    "category": "fire_lane",
    "description": "金地花园D区8号楼前电动车堵住了消防通道",
}


def token(client: TestClient, username: str) -> str:
    response = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class Person:
    """One logged-in user of the desk."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        self.username = username
        self.headers = {"Authorization": f"Bearer {token(client, username)}"}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(path, json=json, headers={**self.headers, **(headers or {})})

    def patch(self, path: str, json: Any) -> Any:
        return self.client.patch(path, json=json, headers=self.headers)

    def create_order(self, **overrides: Any) -> dict[str, Any]:
        response = self.post("/api/v1/orders", json={**FIRE_LANE, **overrides})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def act(self, number: str, action: str, json: Any = None) -> Any:
        return self.post(f"/api/v1/orders/{number}/{action}", json=json)


def operator(client: TestClient) -> Person:
    return Person(client, "operator.li")


def supervisor(client: TestClient) -> Person:
    return Person(client, "supervisor.zhang")


def leader(client: TestClient, team: str = "jindi") -> Person:
    return Person(client, f"leader.{team}")
