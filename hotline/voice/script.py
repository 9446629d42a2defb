"""The phone menu's words and choices, read from config/ivr.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh-CN", "en-US")
# Speech recognition adds punctuation and spaces ("查询进度。", "Check my request."); a text's
# words and the configured phrases are compared without them.
SPOKEN_FILLER = re.compile(r"[\s,，.。!！?？、'\"“”‘’]+")


def _bare(words: str) -> str:
    return SPOKEN_FILLER.sub("", words).lower()


PROMPTS = (
    "greeting",
    "menu",
    "emergency",
    "describe",
    "not_understood",
    "queued",
    "hold",
    "voicemail",
    "thanks",
    "goodbye",
    "progress_intro",
    "progress_none",
    "progress_no_number",
    "progress_after",
)
# Where an order stands, as a resident is told it (查询进度): one line per stage and language.
STAGES = (
    "received",
    "triage",
    "dispatched",
    "accepted",
    "resolved",
    "closed",
    "cancelled",
    "confidential",
)


class IvrConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MenuChoice:
    key: str
    topic: str
    category: str
    priority: str | None = None
    remind_emergency: bool = False
    reads_progress: bool = False  # 查询进度: tells the caller's orders, makes none
    refine: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def category_for(self, speech: str) -> str:
        """The most precise category the caller's words point to, else the menu's."""
        text = speech.lower()
        for category, phrases in self.refine:
            if any(p.lower() in text for p in phrases):
                return category
        return self.category


@dataclass(frozen=True)
class ProgressScript:
    """查询进度: what a text asking for it looks like, how far back and how many, in words."""

    window_days: int
    newest: int
    sms_words: frozenset[str]
    lines: dict[str, dict[str, str]]
    # Said at the menu instead of pressing the key: anywhere in what the caller said.
    spoken_phrases: tuple[str, ...] = ()

    def asked_aloud(self, speech: str) -> bool:
        """The caller asked where their request stands, in words, rather than for help."""
        said = _bare(speech)
        return said in self.sms_words or any(_bare(p) in said for p in self.spoken_phrases)

    def line(self, language: str, stage: str) -> str:
        return self.lines[language if language in self.lines else LANGUAGES[0]][stage]


@dataclass(frozen=True)
class IvrScript:
    queue: str
    voicemail_after_seconds: int
    voicemail_max_seconds: int
    gather_timeout_seconds: int
    menu: dict[str, MenuChoice]
    prompts: dict[str, dict[str, str]]
    progress: ProgressScript
    voices: dict[str, str] = field(default_factory=dict)

    def say(self, language: str, prompt: str) -> str:
        return self.prompts[language if language in self.prompts else LANGUAGES[0]][prompt]

    def voice(self, language: str) -> str | None:
        return self.voices.get(language)

    def choice(self, key: str) -> MenuChoice | None:
        return self.menu.get(key)

    def operator(self) -> MenuChoice:
        return self.menu.get("0") or next(iter(self.menu.values()))

    def progress_choice(self) -> MenuChoice | None:
        """The key that reads progress (8 in the demo), if the menu has one."""
        return next((c for c in self.menu.values() if c.reads_progress), None)

    def choice_for_speech(self, speech: str) -> MenuChoice:
        """A caller who speaks instead of pressing: refine across every topic, else repairs."""
        for choice in self.menu.values():
            if choice.category_for(speech) != choice.category:
                return choice
        return self.menu.get("1") or next(iter(self.menu.values()))


def _choice(key: str, raw: dict[str, Any]) -> MenuChoice:
    refine = tuple(
        (str(category), tuple(str(p) for p in phrases))
        for category, phrases in (raw.get("refine") or {}).items()
    )
    reads_progress = bool(raw.get("reads_progress", False))
    return MenuChoice(
        key=key,
        topic=str(raw["topic"]),
        # Reading progress makes no order, so that key needs no category.
        category=str(raw.get("category", "other") if reads_progress else raw["category"]),
        priority=raw.get("priority"),
        remind_emergency=bool(raw.get("remind_emergency", False)),
        reads_progress=reads_progress,
        refine=refine,
    )


def _progress(raw: dict[str, Any]) -> ProgressScript:
    lines = {lang: {s: str(raw["lines"][lang][s]) for s in STAGES} for lang in LANGUAGES}
    for by_stage in lines.values():
        for line in by_stage.values():
            # A misspelt {placeholder} fails at start-up, not in a resident's call.
            line.format(number="", category="", team="", result="")
    return ProgressScript(
        window_days=int(raw.get("window_days", 90)),
        newest=int(raw.get("newest", 3)),
        sms_words=frozenset(str(w).lower() for w in raw["sms_words"]),
        lines=lines,
        spoken_phrases=tuple(str(p) for p in raw.get("spoken_phrases") or ()),
    )


def parse_script(raw: dict[str, Any]) -> IvrScript:
    try:
        prompts = {lang: {p: str(raw["prompts"][lang][p]) for p in PROMPTS} for lang in LANGUAGES}
        menu = {str(k): _choice(str(k), v) for k, v in raw["menu"].items()}
        return IvrScript(
            queue=str(raw.get("queue", "hotline-operators")),
            voicemail_after_seconds=int(raw.get("voicemail_after_seconds", 90)),
            voicemail_max_seconds=int(raw.get("voicemail_max_seconds", 120)),
            gather_timeout_seconds=int(raw.get("gather_timeout_seconds", 6)),
            menu=menu,
            prompts=prompts,
            progress=_progress(raw["progress"]),
            voices={str(k): str(v) for k, v in (raw.get("voices") or {}).items()},
        )
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        raise IvrConfigError(f"ivr.yaml: missing or bad entry: {exc}") from exc


def load_script(path: Path) -> IvrScript:
    return parse_script(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
