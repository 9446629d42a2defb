"""The schema of a rules file: what a rule may say; any unknown key is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
)

Priority = Literal["P1", "P2", "P3", "P4"]  # P1 is the most urgent
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def _text(value: object) -> object:
    """YAML reads `12345` as a number; a channel or code is text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _word(value: object) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise ValueError("expected a non-empty word")
    return str(value).strip()


Channel = Annotated[
    Literal["phone", "sms", "12345", "web", "patrol", "open311"], BeforeValidator(_text)
]
Word = Annotated[str, PlainValidator(_word)]
Codes = Annotated[list[Word], Field(min_length=1)]


@dataclass(frozen=True)
class TeamByKind:
    """`{kind: property}`: the team of that kind covering the order's place."""

    kind: str


def _team_ref(value: object) -> str | TeamByKind:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, TeamByKind):
        return value
    if isinstance(value, dict) and set(value) == {"kind"} and isinstance(value["kind"], str):
        return TeamByKind(value["kind"])
    raise ValueError("a team is a team code (jindi-property) or {kind: <team kind>}")


def _team_ref_out(value: str | TeamByKind) -> str | dict[str, str]:
    """As the file writes it: a code, or {kind: ...}."""
    return value if isinstance(value, str) else {"kind": value.kind}


TeamRef = Annotated[
    str | TeamByKind,
    PlainValidator(_team_ref),
    PlainSerializer(_team_ref_out, return_type=str | dict[str, str]),
]


class TimeOfDay(BaseModel):
    """Local clock times; `from` is inside the window, `to` is not; may wrap midnight."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    start: str = Field(alias="from")
    end: str = Field(alias="to")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            raise ValueError(f"time {value!r} is not HH:MM (00:00 to 23:59)")
        return value

    @property
    def minutes(self) -> tuple[int, int]:
        return _minutes(self.start), _minutes(self.end)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class When(BaseModel):
    """Conditions; all that are given must hold. None means: no condition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Codes | None = None
    keywords_any: Codes | None = None
    keywords_all: Codes | None = None
    not_keywords: Codes | None = None
    community: Codes | None = None
    compound: Codes | None = None
    channel: Annotated[list[Channel], Field(min_length=1)] | None = None
    priority: Annotated[list[Priority], Field(min_length=1)] | None = None
    time_of_day: TimeOfDay | None = None
    caller_flags_any: Codes | None = None


class Then(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    assign: TeamRef | None = None
    assist: tuple[TeamRef, ...] = ()
    priority: Priority | None = None
    raise_priority_to: Priority | None = None
    sla: Word | None = None
    tags: tuple[Word, ...] = ()
    police_matter: bool = False


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    enabled: bool = True
    continue_: bool = Field(default=False, alias="continue")
    when: When = When()
    then: Then


class RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    timezone: str = "Asia/Shanghai"
    rules: list[Rule]

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value
