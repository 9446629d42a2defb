"""`GET /readyz` for a balancer; `GET /api/v1/status` for supervisors and monitoring."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from dispatch.deps import ClockDep, SessionDep, Supervisor
from dispatch.status import checks
from dispatch.status.checks import StatusCheck

router = APIRouter(tags=["ops"])


class CheckPublic(BaseModel):
    name: str
    ok: bool
    detail: str
    count: int
    since: datetime | None


class StatusPublic(BaseModel):
    ok: bool
    checks: list[CheckPublic]


def _answer(found: list[checks.Check]) -> StatusPublic:
    return StatusPublic(
        ok=all(c.ok for c in found),
        checks=[CheckPublic.model_validate(c, from_attributes=True) for c in found],
    )


@router.get(
    "/readyz",
    response_model=StatusPublic,
    responses={503: {"model": StatusPublic, "description": "not ready: see the failed check"}},
)
def ready(session: SessionDep) -> JSONResponse:
    """Readiness: the database answers and its schema is what this code needs. Timers and
    deliveries are not asked: a balancer must not drop every instance because the
    scheduler process is down (GET /api/v1/status says that)."""
    found = [checks.database(session)]
    if found[0].ok:
        found.append(checks.schema(session))
    answer = _answer(found)
    return JSONResponse(answer.model_dump(mode="json"), status_code=200 if answer.ok else 503)


@router.get("/api/v1/status", response_model=StatusPublic)
def desk_status(
    session: SessionDep, clock: ClockDep, user: Supervisor, request: Request
) -> StatusPublic:
    """Everything behind the API: the database and schema, notifications, and what the
    extensions report (escalation timers), each with how many are behind and since when."""
    now = clock.now()
    extra: list[StatusCheck] = request.app.state.status_checks
    found = [
        checks.database(session),
        checks.schema(session),
        checks.notifications(session, now),
        checks.rules(request.app.state.rules),
        *(check(session, now) for check in extra),
    ]
    return _answer(found)
