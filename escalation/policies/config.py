"""config/escalation.yaml, validated at start-up: a broken file refuses to start."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from escalation.policies.calendar import WorkingCalendar
from escalation.policies.durations import format_offset, parse_duration, whole_days

# "30s", "15m", "2h", "1d" in the file; a timedelta in the code.
Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
OptionalDuration = Annotated[
    timedelta | None,
    BeforeValidator(lambda value: None if value is None else parse_duration(value)),
]


class StepKind(StrEnum):
    renotify_leader = "renotify_leader"
    call_leader = "call_leader"
    notify_supervisor = "notify_supervisor"
    reassign_backup = "reassign_backup"
    escalate_governance_centre = "escalate_governance_centre"
    mark_12345_supervision = "mark_12345_supervision"


class ChainName(StrEnum):
    accept = "accept"
    resolve = "resolve"


# 吹哨报到 goes here when the step names no team.
GOVERNANCE_CENTRE = "governance-centre"


def team_sent_to(kind: StepKind, params: dict[str, Any]) -> str | None:
    """The team a step sends the order to, if it sends it anywhere."""
    if kind == StepKind.reassign_backup:
        return str(params["team"])
    if kind == StepKind.escalate_governance_centre:
        return str(params.get("team") or GOVERNANCE_CENTRE)
    return None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepSpec(_Strict):
    at: Duration
    kind: StepKind
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _team_named(self) -> StepSpec:
        needs_team = (StepKind.reassign_backup, StepKind.escalate_governance_centre)
        if self.kind == StepKind.reassign_backup and not self.params.get("team"):
            raise ValueError("reassign_backup needs params: {team: <backup team code>}")
        if self.kind in needs_team and not isinstance(self.params.get("team", ""), str):
            raise ValueError(f"{self.kind.value}: params.team must be a team code")
        return self


class ChainSpec(_Strict):
    accept: list[StepSpec] = Field(default_factory=list)
    resolve: list[StepSpec] = Field(default_factory=list)

    def steps(self, chain: ChainName) -> list[StepSpec]:
        return sorted(self.accept if chain == ChainName.accept else self.resolve, key=_by_at)


def _by_at(step: StepSpec) -> timedelta:
    return step.at


class PolicySpec(_Strict):
    accept_within: Duration
    on_site_within: OptionalDuration = None
    resolve_within: Duration
    working_days: bool = False
    chain: str = "standard"

    @model_validator(mode="after")
    def _whole_days_when_working_days(self) -> PolicySpec:
        if self.working_days and whole_days(self.resolve_within) is None:
            raise ValueError("working_days: true needs resolve_within in whole days (e.g. 7d)")
        return self


class CalendarSpec(_Strict):
    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)


class WeeklyVisitsSpec(_Strict):
    enabled: bool = True
    weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "friday"
    at: str = "09:00"
    category: str = "elder_care"
    priority: Literal["P1", "P2", "P3", "P4"] = "P3"


class CallbackReminderSpec(_Strict):
    enabled: bool = True
    after: Duration = timedelta(hours=24)


class MeetingReminderSpec(_Strict):
    enabled: bool = True
    before: Duration = timedelta(hours=2)


class DailySummarySpec(_Strict):
    enabled: bool = True
    at: str = "08:00"


class PhotoArchiveSpec(_Strict):
    # No `enabled`: HOTLINE_PHOTO_ARCHIVE_DIR turns it on, as only the scheduler's own host
    # knows which folder is mounted and backed up.
    at: str = Field(default="03:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class RecurringSpec(_Strict):
    weekly_visits: WeeklyVisitsSpec = WeeklyVisitsSpec()
    callback_reminder: CallbackReminderSpec = CallbackReminderSpec()
    daily_summary: DailySummarySpec = DailySummarySpec()
    meeting_reminder: MeetingReminderSpec = MeetingReminderSpec()
    photo_archive: PhotoArchiveSpec = PhotoArchiveSpec()


class NotificationSpec(_Strict):
    accept_code_valid_for: Duration = timedelta(hours=24)
    max_attempts: int = Field(default=6, ge=1)
    backoff_base: Duration = timedelta(seconds=30)
    backoff_max: Duration = timedelta(minutes=30)


PRIORITIES = ("P1", "P2", "P3", "P4")


class EscalationConfig(_Strict):
    version: int = 1
    timezone: str = "Asia/Shanghai"
    chains: dict[str, ChainSpec]
    policies: dict[str, PolicySpec] = Field(default_factory=dict)
    defaults: dict[str, PolicySpec]
    calendar: CalendarSpec = CalendarSpec()
    recurring: RecurringSpec = RecurringSpec()
    notifications: NotificationSpec = NotificationSpec()

    @model_validator(mode="after")
    def _references_resolve(self) -> EscalationConfig:
        missing = [p for p in PRIORITIES if p not in self.defaults]
        if missing:
            raise ValueError(f"defaults must cover every priority; missing {missing}")
        for where, policy in [*self.policies.items(), *self.defaults.items()]:
            if policy.chain not in self.chains:
                raise ValueError(f"policy {where!r} names unknown chain {policy.chain!r}")
        return self

    def steps_naming(self, team_code: str) -> list[str]:
        """Where the chains send orders to this team ("standard: accept +30m"): a team taken
        out of service there would turn those steps into no-ops."""
        found = []
        for name, chain in self.chains.items():
            for which in ChainName:
                for step in chain.steps(which):
                    if team_sent_to(step.kind, step.params) == team_code:
                        found.append(f"{name}: {which.value} {format_offset(step.at)}")
        return found

    def policy_for(self, name: str | None, priority: str) -> tuple[str, PolicySpec]:
        """The named policy, else the default of the order's priority."""
        if name and name in self.policies:
            return name, self.policies[name]
        return f"default:{priority}", self.defaults[priority]

    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.calendar.holidays, self.calendar.workdays, self.timezone)


class ConfigError(ValueError):
    pass


def load_config(path: Path) -> EscalationConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    try:
        return EscalationConfig.model_validate(raw if isinstance(raw, dict) else {})
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
