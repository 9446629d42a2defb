"""A desk kept running for a whole module: the matrix and the fuzzer ask hundreds of questions.

The database is a copy of the migrated demo world, as in tests/conftest.py, but kept for
the module; tokens are issued directly (these tests are about authorization, not passwords).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from dispatch.auth.models import User
from dispatch.auth.tokens import issue_token
from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import REPO_ROOT, Settings
from tests.builders.desk import FIRE_LANE
from tests.builders.pictures import TINY_PNG
from tests.conftest import DEMO_NOW, demo_world_copy
from tests.hotline.conftest import OPEN311_KEY, PUBLIC_BASE, TWILIO_TOKEN, UPSTREAM_SECRET

SECRET = "security-tests-secret-key-long-enough-0123456789"


@dataclass(frozen=True)
class Persona:
    """Someone calling the API: a demo account, or nobody at all."""

    label: str
    username: str | None
    role: str | None
    own_team: bool  # sees the order of the fire lane (金地物业's), as the desk sees all


PERSONAS = (
    Persona("operator", "operator.li", "operator", True),
    Persona("leader-own-team", "leader.jindi", "team_leader", True),
    Persona("leader-other-team", "leader.yinpi", "team_leader", False),
    Persona("member-own-team", "member.jindi", "team_member", True),
    Persona("supervisor", "supervisor.zhang", "supervisor", True),
    Persona("admin", "admin", "admin", True),
    Persona("no-token", None, None, False),
)


@dataclass
class Desk:
    client: TestClient
    db: Database
    clock: FrozenClock
    settings: Settings
    tokens: dict[str, str]
    order_number: str  # dispatched to 金地物业 (jindi-property)

    def headers(self, persona: Persona, path: str = "") -> dict[str, str]:
        if persona.username is None:
            return {}
        return self.bearer(persona.username, path)

    def bearer(self, username: str, path: str = "") -> dict[str, str]:
        """The persona's token; for logging out, one of its own, so no other call is refused."""
        if path in ENDS_ITS_LOGIN:
            own = issue_tokens(self.db, self.clock, [username])[username]
            return {"Authorization": f"Bearer {own}"}
        return {"Authorization": f"Bearer {self.tokens[username]}"}


ENDS_ITS_LOGIN = {"/api/v1/auth/logout"}


def desk_settings(database_url: str, folder: Path) -> Settings:
    config = folder / "config"
    shutil.copytree(REPO_ROOT / "config", config)
    return Settings(
        environment="test",
        database_url=database_url,
        config_dir=config,
        secret_key=SECRET,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=TWILIO_TOKEN,
        public_base_url=PUBLIC_BASE,
        upstream_12345_secret=UPSTREAM_SECRET,
        open311_api_keys=OPEN311_KEY,
        run_scheduler_in_process=False,
    )


def issue_tokens(db: Database, clock: FrozenClock, usernames: list[str]) -> dict[str, str]:
    with db.session() as session:
        users = session.exec(select(User).where(col(User.username).in_(usernames))).all()
        return {
            u.username: issue_token(
                u.id or 0,
                u.password_hash,
                secret=SECRET,
                now=clock.now(),
                expires_at=clock.now() + timedelta(days=1),
            )
            for u in users
        }


@contextmanager
def running_desk(
    backend: str, request: pytest.FixtureRequest, folder: Path, **overrides: object
) -> Iterator[Desk]:
    """The app on a copy of the demo world, with one order dispatched to 金地物业 and a
    photo of it."""
    with demo_world_copy(backend, request, folder) as url:
        settings = desk_settings(url, folder).model_copy(update=overrides)
        clock = FrozenClock(DEMO_NOW)
        db = Database(url)
        tokens = issue_tokens(db, clock, [p.username for p in PERSONAS if p.username])
        app = create_app(settings, clock=clock, database=db)
        try:
            with TestClient(app) as client:
                auth = {"Authorization": f"Bearer {tokens['operator.li']}"}
                created = client.post("/api/v1/orders", json=FIRE_LANE, headers=auth)
                assert created.status_code == 201, created.text
                number = created.json()["number"]
                photo = client.post(
                    f"/api/v1/orders/{number}/photos",
                    content=TINY_PNG,
                    headers={**auth, "Content-Type": "image/png"},
                )
                assert photo.status_code == 201, photo.text  # photo 1, for the photo routes
                yield Desk(client, db, clock, settings, tokens, created.json()["number"])
        finally:
            db.dispose()
