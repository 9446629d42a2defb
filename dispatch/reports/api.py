"""Report routes: the three rates per team (JSON, CSV, XLSX) and the board's snapshot."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from dispatch.deps import ClockDep, SessionDep, SettingsDep, Supervisor
from dispatch.errors import InvalidInput
from dispatch.reports import export
from dispatch.reports import service as reports
from dispatch.web.i18n import locale_of, translator

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MAX_DAYS = 366


class TeamRatesPublic(BaseModel):
    team_code: str
    team_name: str
    team_name_en: str
    dispatched: int
    accepted: int
    resolved: int
    returned: int
    callbacks: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class TeamReport(BaseModel):
    first: date
    last: date
    timezone: str
    data: list[TeamRatesPublic]


class DueOrderPublic(BaseModel):
    number: str
    status: str
    priority: str
    category: str
    description: str
    teams: list[str]
    due_at: datetime
    due_kind: str
    late: bool


class HourCount(BaseModel):
    hour: datetime
    count: int


class EscalationPublic(BaseModel):
    id: int
    order_number: str
    kind: str
    actor: str
    at: datetime
    team_codes: list[str]
    data: dict[str, Any]


class BoardPublic(BaseModel):
    now: datetime
    counts: dict[str, int]
    late: list[DueOrderPublic]
    nearly_late: list[DueOrderPublic]
    intake_by_hour: list[HourCount]
    escalations: list[EscalationPublic]


FromDay = Annotated[date | None, Query(alias="from", description="first local day, included")]
ToDay = Annotated[date | None, Query(alias="to", description="last local day, included")]


def _period(
    clock: ClockDep, settings: SettingsDep, first: date | None, last: date | None
) -> reports.Period:
    period = reports.Period.around(clock.now(), settings.timezone, first, last)
    if period.last < period.first:
        raise InvalidInput("`to` is before `from`", field="to")
    if (period.last - period.first).days >= MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days", field="from")
    return period


def _public(rates: reports.TeamRates) -> TeamRatesPublic:
    return TeamRatesPublic(
        team_code=rates.team_code,
        team_name=rates.team_name,
        team_name_en=rates.team_name_en,
        dispatched=rates.dispatched,
        accepted=rates.accepted,
        resolved=rates.resolved,
        returned=rates.returned,
        callbacks=rates.callbacks,
        satisfied=rates.satisfied,
        response_rate=rates.response_rate,
        resolution_rate=rates.resolution_rate,
        satisfaction_rate=rates.satisfaction_rate,
    )


@router.get("/teams", response_model=TeamReport)
def team_report(
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    settings: SettingsDep,
    first: FromDay = None,
    last: ToDay = None,
) -> TeamReport:
    """三率 per team for local days `from`..`to` (default: the last 7 days)."""
    period = _period(clock, settings, first, last)
    return TeamReport(
        first=period.first,
        last=period.last,
        timezone=period.timezone,
        data=[_public(r) for r in reports.team_rates(session, period)],
    )


def _download(body: bytes, media_type: str, name: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/teams.csv", response_class=Response)
def team_report_csv(
    request: Request,
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    settings: SettingsDep,
    first: FromDay = None,
    last: ToDay = None,
) -> Response:
    """The same report as CSV; column names follow the page language (`?lang=en`)."""
    period = _period(clock, settings, first, last)
    t = translator(locale_of(request))
    body = export.to_csv(reports.team_rates(session, period), t, t.english)
    return _download(body, "text/csv; charset=utf-8", f"teams-{period.first}-{period.last}.csv")


@router.get("/teams.xlsx", response_class=Response)
def team_report_xlsx(
    request: Request,
    session: SessionDep,
    user: Supervisor,
    clock: ClockDep,
    settings: SettingsDep,
    first: FromDay = None,
    last: ToDay = None,
) -> Response:
    """The same report as an Excel workbook."""
    period = _period(clock, settings, first, last)
    t = translator(locale_of(request))
    body = export.to_xlsx(reports.team_rates(session, period), t, t.english, period)
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"teams-{period.first}-{period.last}.xlsx",
    )


@router.get("/board", response_model=BoardPublic)
def board(
    session: SessionDep, user: Supervisor, clock: ClockDep, settings: SettingsDep
) -> BoardPublic:
    """The supervisor board at this moment: counts, late orders, intake, escalations."""
    snapshot = reports.board(session, clock.now(), settings.timezone)
    return BoardPublic(
        now=snapshot.now,
        counts=snapshot.counts,
        late=[DueOrderPublic(**vars(d)) for d in snapshot.late],
        nearly_late=[DueOrderPublic(**vars(d)) for d in snapshot.nearly_late],
        intake_by_hour=[HourCount(hour=h, count=n) for h, n in snapshot.intake_by_hour],
        escalations=[EscalationPublic(**e) for e in snapshot.escalations],
    )
