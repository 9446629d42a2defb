"""Each report as labelled tables in the reader's language, ready for `export`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from dispatch.places.service import place_line
from dispatch.reports.breakdown import GroupRates
from dispatch.reports.daily import DailySummary, Named
from dispatch.reports.export import Block, Cell, Percent, Sheet
from dispatch.reports.hotspots import Hotspot
from dispatch.reports.operators import COUNTS, OperatorReport
from dispatch.reports.patrol import PatrolReport
from dispatch.reports.service import Period, TeamRates
from dispatch.reports.worklog import Worklog, WorklogEntry
from dispatch.web.i18n import Translator

RATES = ("report.response_rate", "report.resolution_rate", "report.satisfaction_rate")
SHEETS = {"category": "report.sheet_categories", "community": "report.sheet_communities"}


def _period_title(t: Translator, period: Period) -> str:
    return f"{t('report.period')}: {period.first.isoformat()} — {period.last.isoformat()}"


def _name(t: Translator, named: Named | None) -> str:
    if named is None:
        return ""
    return (named.name_en or named.code) if t.english else named.name


def team_sheet(rates: Sequence[TeamRates], t: Translator, period: Period) -> Sheet:
    columns = ["report.team", "report.dispatched", "report.accepted", "report.resolved"]
    columns += ["report.returned", "report.callbacks", "report.satisfied", *RATES]
    rows: list[list[Cell]] = [
        [
            _name(t, Named(r.team_code, r.team_name, r.team_name_en)),
            r.dispatched,
            r.accepted,
            r.resolved,
            r.returned,
            r.callbacks,
            r.satisfied,
            Percent(r.response_rate),
            Percent(r.resolution_rate),
            Percent(r.satisfaction_rate),
        ]
        for r in rates
    ]
    block = Block([t(c) for c in columns], rows)
    return Sheet(t("report.sheet"), _period_title(t, period), [block])


def group_name(t: Translator, row: GroupRates) -> str:
    if row.code is None:
        return t("report.no_community")
    return _name(t, Named(row.code, row.name, row.name_en))


def group_sheet(
    groups: Sequence[GroupRates], t: Translator, period: Period, dimension: str
) -> Sheet:
    """`dimension` is "category" or "community": it names the first column and the sheet."""
    columns = [f"report.{dimension}", "report.received", "report.dispatched"]
    columns += ["report.accepted", "report.resolved", "report.callbacks", "report.satisfied"]
    rows: list[list[Cell]] = [
        [
            group_name(t, g),
            g.received,
            g.dispatched,
            g.accepted,
            g.resolved,
            g.callbacks,
            g.satisfied,
            Percent(g.response_rate),
            Percent(g.resolution_rate),
            Percent(g.satisfaction_rate),
        ]
        for g in groups
    ]
    block = Block([t(c) for c in [*columns, *RATES]], rows)
    return Sheet(t(SHEETS[dimension]), _period_title(t, period), [block])


# --- 日报 -----------------------------------------------------------------------------------


def _local(when: datetime | None, timezone: str) -> str:
    return when.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M") if when else ""


def _overview(s: DailySummary, t: Translator) -> Block:
    rows: list[list[Cell]] = [[t("daily.day"), s.day.isoformat()]]
    if not s.complete:
        rows.append([t("daily.as_of"), _local(s.as_of, s.timezone)])
    rows.append([t("daily.received"), s.received])
    rows.append([t("daily.answered_at_desk"), s.answered_at_desk])
    rows += [[t(f"report.{kind}"), n] for kind, n in s.progress.items()]
    rows.append([t("daily.late"), len(s.late)])
    rows += [[t(f"event.{kind}"), n] for kind, n in s.escalation_counts.items()]
    rows.append([t("report.callbacks"), s.callbacks])
    rows += [[t(f"satisfaction.{verdict}"), n] for verdict, n in s.satisfaction.items()]
    rows.append([t("report.satisfaction_rate"), Percent(s.satisfaction_rate)])
    return Block([t("daily.item"), t("daily.value")], rows, t("daily.overview"))


def _detail(data: dict[str, object], t: Translator) -> str:
    if data.get("reason"):
        return str(data["reason"])
    return t("board.level", n=data["level"]) if data.get("level") else ""


def daily_sheet(s: DailySummary, t: Translator) -> Sheet:
    channels: list[list[Cell]] = [[t(f"channel.{c}"), n] for c, n in s.by_channel.items()]
    channels.append([t("daily.total"), s.received])
    categories: list[list[Cell]] = [[_name(t, c.category), c.count] for c in s.by_category]
    late: list[list[Cell]] = [
        [
            o.number,
            _name(t, o.category),
            _name(t, o.team),
            t("board.due_accept" if o.due_kind == "accept" else "board.due_resolve"),
            _local(o.due_at, s.timezone),
            _local(o.done_at, s.timezone),
            t(f"status.{o.status}"),
        ]
        for o in s.late
    ]
    escalations: list[list[Cell]] = [
        [
            _local(e["at"], s.timezone),
            t(f"event.{e['kind']}"),
            e["order_number"],
            _detail(e["data"], t),
        ]
        for e in s.escalations
    ]
    count = t("daily.count")
    late_columns = ["order.number", "order.category", "field.lead_team", "daily.due_kind"]
    late_columns += ["board.due_at", "daily.done_at", "order.status"]
    blocks = [
        _overview(s, t),
        Block([t("field.channel"), count], channels, t("daily.by_channel")),
        Block([t("order.category"), count], categories, t("daily.by_category")),
        Block([t(c) for c in late_columns], late, t("daily.late")),
        Block(
            [t("daily.at"), t("daily.kind"), t("order.number"), t("field.reason")],
            escalations,
            t("daily.escalations"),
        ),
    ]
    return Sheet(t("daily.sheet"), f"{t('daily.title')} {s.day.isoformat()}", blocks)


# --- 高发点位 --------------------------------------------------------------------------------


def hotspot_sheet(found: Sequence[Hotspot], t: Translator, period: Period) -> Sheet:
    columns = ["report.community", "hotspot.compound", "report.category", "hotspot.calls"]
    columns += ["hotspot.open", "hotspot.buildings", "hotspot.last_at", "hotspot.orders"]
    rows: list[list[Cell]] = [
        [
            _name(t, s.community),
            _name(t, s.compound),
            _name(t, s.category),
            s.calls,
            s.open,
            t("list.sep").join(s.buildings),
            _local(s.last_at, period.timezone),
            t("list.sep").join(s.orders),
        ]
        for s in found
    ]
    block = Block([t(c) for c in columns], rows)
    return Sheet(t("hotspot.sheet"), _period_title(t, period), [block])


WORKLOG_COLUMNS = (
    "worklog.received_at",
    "worklog.number",
    "worklog.channel",
    "worklog.caller",
    "worklog.phone",
    "worklog.address",
    "report.category",
    "worklog.description",
    "worklog.teams",
    "worklog.result",
    "worklog.status",
    "worklog.satisfaction",
    "worklog.finished_at",
)


def worklog_address(t: Translator, e: WorklogEntry) -> str:
    """Community · compound building, then what the caller said of the place."""
    area = (_name(t, e.community), _name(t, e.compound))
    return place_line(*area, building=e.building, said=e.address_text, sep=" · ")


def worklog_caller(t: Translator, e: WorklogEntry) -> str:
    if e.confidential:
        return t("worklog.confidential")
    return e.caller_name or t("worklog.anonymous")


def worklog_sheet(log: Worklog, t: Translator) -> Sheet:
    rows: list[list[Cell]] = []
    for e in log.entries:
        status = t("status." + e.status)
        if e.merged_into:
            status = t("worklog.merged_into", number=e.merged_into, status=status)
        rows.append(
            [
                _local(e.received_at, log.period.timezone),
                e.number,
                t("channel." + e.channel),
                worklog_caller(t, e),
                e.caller_phone or "",
                worklog_address(t, e),
                _name(t, e.category),
                e.description,
                t("list.sep").join(_name(t, team) for team in e.teams),
                e.result or "",
                status,
                t("satisfaction." + e.satisfaction) if e.satisfaction else "",
                _local(e.finished_at, log.period.timezone),
            ]
        )
    place = _name(t, log.community) if log.community else t("worklog.every_community")
    title = f"{t('worklog.title')} · {place} · {_period_title(t, log.period)}"
    block = Block([t(c) for c in WORKLOG_COLUMNS], rows)
    return Sheet(t("worklog.title"), title, [block])


PATROL_COLUMNS = (
    "patrol_report.reporter",
    "report.team",
    "patrol_report.reported",
    "patrol_report.on_site",
    "patrol_report.sent_on",
    "patrol_report.resolved",
    "patrol_report.open",
    "patrol_report.cancelled",
    "patrol_report.on_site_rate",
)


def patrol_sheet(found: PatrolReport, t: Translator) -> Sheet:
    rows: list[list[Cell]] = [
        [
            r.name or t("patrol_report.total"),
            _name(t, r.team),
            r.reported,
            r.on_site,
            r.sent_on,
            r.resolved,
            r.open,
            r.cancelled,
            Percent(r.on_site_rate),
        ]
        for r in [*found.reporters, found.total]
    ]
    block = Block([t(c) for c in PATROL_COLUMNS], rows)
    return Sheet(t("patrol_report.sheet"), _period_title(t, found.period), [block])


def operator_sheet(found: OperatorReport, t: Translator) -> Sheet:
    """话务员工作量: a row per person at the desk, then the total."""
    columns = ["operator_report.person", "operator_report.username", "operator_report.role"]
    columns += [f"operator_report.{count}" for count in COUNTS]
    rows: list[list[Cell]] = [
        [
            o.name or t("operator_report.total"),
            o.username,
            t(f"user_role.{o.role}") if o.role else "",
            *(getattr(o, count) for count in COUNTS),
        ]
        for o in [*found.operators, found.total]
    ]
    block = Block([t(c) for c in columns], rows)
    return Sheet(t("operator_report.sheet"), _period_title(t, found.period), [block])
