"""Report routes: the three rates per team, category and community, hot spots, the daily
summary (日报), a community's 民情日志, the field's 巡查上报统计 and the desk's 话务员工作量,
each as JSON, CSV or XLSX; and the board's snapshot.
Supervisors only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session

from dispatch.deps import ClockDep, SessionDep, SettingsDep, Supervisor
from dispatch.errors import InvalidInput
from dispatch.reports import breakdown, export, hotspots, operators, patrol, tables, worklog
from dispatch.reports import service as reports
from dispatch.reports.daily import DailySummary, Named, daily_summary
from dispatch.reports.schemas import (
    BoardPublic,
    CategoryCountPublic,
    DailySummaryPublic,
    DueOrderPublic,
    EscalationPublic,
    GroupRatesPublic,
    GroupReport,
    HotspotPublic,
    HotspotReport,
    HourCount,
    LateOrderPublic,
    NamedPublic,
    OperatorReportPublic,
    OperatorWorkloadPublic,
    PatrolReporterPublic,
    PatrolReportPublic,
    SatisfactionPublic,
    TeamRatesPublic,
    TeamReport,
    WorklogEntryPublic,
    WorklogReport,
)
from dispatch.web.i18n import Translator, locale_of, translator

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MAX_DAYS = 366
# Before this nothing was recorded; it also keeps local midnight far from datetime's limits.
FIRST_DAY = date(2000, 1, 1)
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Ext = Literal["csv", "xlsx"]


def _today(clock: ClockDep, settings: SettingsDep) -> date:
    return clock.now().astimezone(ZoneInfo(settings.timezone)).date()


def _check_day(day: date | None, field: str, latest: date) -> None:
    if day is not None and not FIRST_DAY <= day <= latest:
        raise InvalidInput(
            f"`{field}` must be a day from {FIRST_DAY} to {latest}", field=field, value=str(day)
        )


def periods_of(days: int) -> Callable[..., reports.Period]:
    """A dependency: local days `from`..`to`, both included; by default the last `days`."""

    def period_of(
        clock: ClockDep,
        settings: SettingsDep,
        first: Annotated[
            date | None, Query(alias="from", description="first local day, included")
        ] = None,
        last: Annotated[
            date | None, Query(alias="to", description="last local day, included")
        ] = None,
    ) -> reports.Period:
        latest = _today(clock, settings) + timedelta(days=MAX_DAYS)
        _check_day(first, "from", latest)
        _check_day(last, "to", latest)
        period = reports.Period.around(clock.now(), settings.timezone, first, last, days)
        if period.last < period.first:
            raise InvalidInput("`to` is before `from`", field="to")
        if (period.last - period.first).days >= MAX_DAYS:
            raise InvalidInput(f"a report covers at most {MAX_DAYS} days", field="from")
        return period

    return period_of


def day_of(
    clock: ClockDep,
    settings: SettingsDep,
    day: Annotated[date | None, Query(description="local day; today by default")] = None,
) -> date:
    today = _today(clock, settings)
    _check_day(day, "day", today)  # a day that has not begun has nothing to report
    return day or today


def translator_of(request: Request) -> Translator:
    """Column names follow the page language (`?lang=en`, else the cookie)."""
    return translator(locale_of(request))


PeriodDep = Annotated[reports.Period, Depends(periods_of(7))]
# Problems that keep coming back show over weeks, not days.
MonthDep = Annotated[reports.Period, Depends(periods_of(30))]
MinCalls = Annotated[
    int, Query(ge=2, le=1000, description="calls at one place and category to count as a hot spot")
]
DayDep = Annotated[date, Depends(day_of)]
TranslatorDep = Annotated[Translator, Depends(translator_of)]


def _download(sheet: export.Sheet, ext: Ext, name: str) -> Response:
    body = export.to_csv(sheet) if ext == "csv" else export.to_xlsx(sheet)
    return Response(
        body,
        media_type=MEDIA[ext],
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


# --- per team --------------------------------------------------------------------------------


def _with_rates(row: reports.ThreeRates) -> dict[str, Any]:
    """A report row's counts and its three rates, for the public model."""
    return {
        **vars(row),
        "response_rate": row.response_rate,
        "resolution_rate": row.resolution_rate,
        "satisfaction_rate": row.satisfaction_rate,
    }


@router.get("/teams", response_model=TeamReport)
def team_report(session: SessionDep, _user: Supervisor, period: PeriodDep) -> TeamReport:
    """三率 per team for local days `from`..`to` (default: the last 7 days)."""
    rows = reports.team_rates(session, period)
    return TeamReport(**vars(period), data=[TeamRatesPublic(**_with_rates(r)) for r in rows])


@router.get("/teams.{ext}", response_class=Response)
def team_report_file(
    ext: Ext, session: SessionDep, _user: Supervisor, period: PeriodDep, t: TranslatorDep
) -> Response:
    """The team report as CSV or as an Excel workbook."""
    sheet = tables.team_sheet(reports.team_rates(session, period), t, period)
    return _download(sheet, ext, f"teams-{period.first}-{period.last}")


# --- per category and per community ----------------------------------------------------------


GroupRows = Callable[[Session, reports.Period], list[breakdown.GroupRates]]


def _group_report(period: reports.Period, rows: list[breakdown.GroupRates]) -> GroupReport:
    data = [GroupRatesPublic(**_with_rates(g)) for g in rows]
    return GroupReport(**vars(period), data=data)


def _group_routes(path: str, dimension: str, rows_of: GroupRows) -> None:
    """The JSON report and its CSV/XLSX file for one grouping of orders."""

    @router.get(f"/{path}", response_model=GroupReport, summary=f"三率 per {dimension}")
    def group_report(session: SessionDep, _user: Supervisor, period: PeriodDep) -> GroupReport:
        return _group_report(period, rows_of(session, period))

    @router.get(
        f"/{path}.{{ext}}", response_class=Response, summary=f"三率 per {dimension}, as a file"
    )
    def group_report_file(
        ext: Ext, session: SessionDep, _user: Supervisor, period: PeriodDep, t: TranslatorDep
    ) -> Response:
        sheet = tables.group_sheet(rows_of(session, period), t, period, dimension)
        return _download(sheet, ext, f"{path}-{period.first}-{period.last}")


# Over the orders received in `from`..`to`; orders that named no community come last, code null.
_group_routes("categories", "category", breakdown.category_rates)
_group_routes("communities", "community", breakdown.community_rates)


# --- 高发点位 --------------------------------------------------------------------------------


def _hotspot_public(spot: hotspots.Hotspot) -> HotspotPublic:
    def public(named: Named | None) -> NamedPublic | None:
        return NamedPublic(**vars(named)) if named else None

    category = spot.category or Named(spot.category_code, spot.category_code, "")
    return HotspotPublic(
        community=public(spot.community),
        compound=public(spot.compound),
        category=NamedPublic(**vars(category)),
        calls=spot.calls,
        open=spot.open,
        first_at=spot.first_at,
        last_at=spot.last_at,
        buildings=spot.buildings,
        orders=spot.orders,
    )


@router.get("/hotspots", response_model=HotspotReport)
def hotspot_report(
    session: SessionDep, _user: Supervisor, period: MonthDep, min_calls: MinCalls = 3
) -> HotspotReport:
    """高发点位: each category at each place (compound, else community) with at least
    `min_calls` calls received in `from`..`to` (default: the last 30 days), most calls first."""
    found = hotspots.hotspots(session, period, min_calls)
    data = [_hotspot_public(s) for s in found]
    return HotspotReport(**vars(period), min_calls=min_calls, data=data)


@router.get("/hotspots.{ext}", response_class=Response)
def hotspot_report_file(
    ext: Ext,
    session: SessionDep,
    _user: Supervisor,
    period: MonthDep,
    t: TranslatorDep,
    min_calls: MinCalls = 3,
) -> Response:
    sheet = tables.hotspot_sheet(hotspots.hotspots(session, period, min_calls), t, period)
    return _download(sheet, ext, f"hotspots-{period.first}-{period.last}")


# --- 日报 -----------------------------------------------------------------------------------


def _named(named: Named) -> NamedPublic:
    return NamedPublic(**vars(named))


def _daily_public(s: DailySummary) -> DailySummaryPublic:
    return DailySummaryPublic(
        day=s.day,
        timezone=s.timezone,
        start=s.start,
        end=s.end,
        as_of=s.as_of,
        complete=s.complete,
        received=s.received,
        answered_at_desk=s.answered_at_desk,
        by_channel=s.by_channel,
        by_category=[
            CategoryCountPublic(category=_named(c.category), count=c.count) for c in s.by_category
        ],
        progress=s.progress,
        late=[
            LateOrderPublic(
                **{**vars(o), "category": _named(o.category), "team": o.team and _named(o.team)}
            )
            for o in s.late
        ],
        escalation_counts=s.escalation_counts,
        escalations=[EscalationPublic(**e) for e in s.escalations],
        satisfaction=SatisfactionPublic(
            **s.satisfaction, callbacks=s.callbacks, rate=s.satisfaction_rate
        ),
    )


@router.get("/daily", response_model=DailySummaryPublic)
def daily_report(
    session: SessionDep, _user: Supervisor, clock: ClockDep, settings: SettingsDep, day: DayDep
) -> DailySummaryPublic:
    """日报 of one local day (default today, as far as it has gone)."""
    return _daily_public(daily_summary(session, day, settings.timezone, clock.now()))


@router.get("/daily.{ext}", response_class=Response)
def daily_report_file(
    ext: Ext,
    session: SessionDep,
    _user: Supervisor,
    clock: ClockDep,
    settings: SettingsDep,
    day: DayDep,
    t: TranslatorDep,
) -> Response:
    summary = daily_summary(session, day, settings.timezone, clock.now())
    return _download(tables.daily_sheet(summary, t), ext, f"daily-{day}")


# --- 民情日志 ----------------------------------------------------------------------------------

# A year of a busy community is a few thousand calls; a file past this is a mistake of period.
MOST_WORKLOG_ROWS = 50_000


CommunityQuery = Annotated[
    str | None, Query(max_length=64, description="community code; every community when absent")
]


def _worklog_public(log: worklog.Worklog, offset: int, limit: int) -> WorklogReport:
    def public(e: worklog.WorklogEntry) -> WorklogEntryPublic:
        return WorklogEntryPublic(
            **{
                **vars(e),
                "community": e.community and _named(e.community),
                "compound": e.compound and _named(e.compound),
                "category": _named(e.category),
                "teams": [_named(team) for team in e.teams],
            }
        )

    community = log.community and _named(log.community)
    data = [public(e) for e in log.entries]
    return WorklogReport(
        **vars(log.period),
        community=community,
        count=log.count,
        offset=offset,
        limit=limit,
        data=data,
    )


@router.get("/worklog", response_model=WorklogReport)
def worklog_report(
    session: SessionDep,
    _user: Supervisor,
    period: PeriodDep,
    community: CommunityQuery = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> WorklogReport:
    """民情日志: every call received at `community` (default every one) in `from`..`to`
    (default the last 7 days), oldest first: who came (phone masked), what they needed, the
    teams, what was done and how it ended."""
    log = worklog.worklog(session, period, community, offset, limit)
    return _worklog_public(log, offset, limit)


@router.get("/worklog.{ext}", response_class=Response)
def worklog_report_file(
    ext: Ext,
    session: SessionDep,
    _user: Supervisor,
    period: PeriodDep,
    t: TranslatorDep,
    community: CommunityQuery = None,
) -> Response:
    log = worklog.worklog(session, period, community, 0, MOST_WORKLOG_ROWS, most=MOST_WORKLOG_ROWS)
    name = f"worklog-{community or 'all'}-{period.first}-{period.last}"
    return _download(tables.worklog_sheet(log, t), ext, name)


# --- 巡查上报统计 ------------------------------------------------------------------------------


def _reporter_public(r: patrol.ReporterTally) -> PatrolReporterPublic:
    return PatrolReporterPublic(
        **{**vars(r), "team": r.team and _named(r.team)},
        sent_on=r.sent_on,
        on_site_rate=r.on_site_rate,
    )


@router.get("/patrol", response_model=PatrolReportPublic)
def patrol_report(session: SessionDep, _user: Supervisor, period: MonthDep) -> PatrolReportPublic:
    """巡查上报统计: per field worker, the reports made in `from`..`to` (default the last 30
    days), how many they dealt with on the spot (自行处置率) and what became of the rest."""
    found = patrol.patrol_report(session, period)
    return PatrolReportPublic(
        **vars(period),
        total=_reporter_public(found.total),
        data=[_reporter_public(r) for r in found.reporters],
    )


@router.get("/patrol.{ext}", response_class=Response)
def patrol_report_file(
    ext: Ext, session: SessionDep, _user: Supervisor, period: MonthDep, t: TranslatorDep
) -> Response:
    sheet = tables.patrol_sheet(patrol.patrol_report(session, period), t)
    return _download(sheet, ext, f"patrol-{period.first}-{period.last}")


# --- 话务员工作量 -------------------------------------------------------------------------------


@router.get("/operators", response_model=OperatorReportPublic)
def operator_report(
    session: SessionDep, _user: Supervisor, period: MonthDep
) -> OperatorReportPublic:
    """话务员工作量: per person at the desk, what they did in `from`..`to` (default the last 30
    days): calls taken (受理) and answered in the call (直接答复), 派单 from triage, 回访, 重办,
    撤销 and 备注, counted from the event log; most 受理 first, then the total."""
    found = operators.operator_report(session, period)
    return OperatorReportPublic(
        **vars(period),
        total=OperatorWorkloadPublic(**vars(found.total)),
        data=[OperatorWorkloadPublic(**vars(o)) for o in found.operators],
    )


@router.get("/operators.{ext}", response_class=Response)
def operator_report_file(
    ext: Ext, session: SessionDep, _user: Supervisor, period: MonthDep, t: TranslatorDep
) -> Response:
    """话务员工作量 as CSV or as an Excel workbook, the total on its last row."""
    sheet = tables.operator_sheet(operators.operator_report(session, period), t)
    return _download(sheet, ext, f"operators-{period.first}-{period.last}")


# --- the board -------------------------------------------------------------------------------


@router.get("/board", response_model=BoardPublic)
def board(
    session: SessionDep, _user: Supervisor, clock: ClockDep, settings: SettingsDep
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
