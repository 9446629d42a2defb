"""Several API instances on one PostgreSQL: a team added on one routes orders on the others
at once, and a team taken out of service there stops, not when their copies of the teams
grow old."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.builders.desk import Person, operator
from tests.builders.teams import XIYUAN_PROPERTY
from tests.conftest import BACKENDS

XIYUAN = {"compound": "xiyuan-dorms"}


def _lead_team(client: TestClient, address: dict[str, str] = XIYUAN) -> str | None:
    answer = operator(client).post(
        "/api/v1/routing/preview",
        json={"category": "fire_lane", "description": "楼下电动车堵了消防通道", "address": address},
    )
    assert answer.status_code == 200, answer.text
    lead: str | None = answer.json()["lead_team"]
    return lead


@pytest.mark.skipif("postgres" not in BACKENDS, reason="PostgreSQL not in HOTLINE_TEST_BACKENDS")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_team_created_on_instance_a_takes_orders_on_instance_b_at_once(
    settings: Settings, clock: FrozenClock
) -> None:
    db_a, db_b = Database(settings.database_url), Database(settings.database_url)
    app_a = create_app(settings, clock=clock, database=db_a)
    app_b = create_app(settings, clock=clock, database=db_b)
    with TestClient(app_a) as a, TestClient(app_b) as b:
        before = _lead_team(b)  # B has read the teams and keeps its copy
        assert before != "xiyuan-property"
        created = Person(a, "admin").post("/api/v1/teams", json=XIYUAN_PROPERTY)
        assert created.status_code == 201, created.text

        deadline = time.monotonic() + 5  # the copies' own age limit is 30 s
        while _lead_team(b) != "xiyuan-property":
            assert time.monotonic() < deadline, "instance B still routes by its old copy"
            time.sleep(0.05)


@pytest.mark.skipif("postgres" not in BACKENDS, reason="PostgreSQL not in HOTLINE_TEST_BACKENDS")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_team_taken_out_of_service_on_instance_a_gets_no_orders_on_instance_b_at_once(
    settings: Settings, clock: FrozenClock
) -> None:
    jindi = {"compound": "jindi-garden"}
    db_a, db_b = Database(settings.database_url), Database(settings.database_url)
    app_a = create_app(settings, clock=clock, database=db_a)
    app_b = create_app(settings, clock=clock, database=db_b)
    with TestClient(app_a) as a, TestClient(app_b) as b:
        assert _lead_team(b, jindi) == "jindi-property"  # B keeps its copy from now on
        taken_out = Person(a, "admin").patch("/api/v1/teams/jindi-property", {"active": False})
        assert taken_out.status_code == 200, taken_out.text

        deadline = time.monotonic() + 5
        while _lead_team(b, jindi) == "jindi-property":
            assert time.monotonic() < deadline, "instance B still routes to a team out of service"
            time.sleep(0.05)
