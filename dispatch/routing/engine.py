"""Routing an order against compiled, indexed rules: first match wins, no match is triage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, product
from math import prod
from typing import Protocol
from zoneinfo import ZoneInfo

from dispatch.routing.keywords import Description, normalise
from dispatch.routing.rules import Rule, TeamByKind, TeamRef


@dataclass(frozen=True)
class OrderFacts:
    category: str
    description: str
    channel: str  # phone | sms | 12345 | web | patrol | open311
    priority: str | None  # P1..P4, or None if the operator did not set one
    community: str | None
    compound: str | None
    building: str | None
    caller_flags: frozenset[str]  # e.g. {"assisted", "elderly_alone", "repeat_caller"}
    received_at: datetime  # timezone-aware


class Coverage(Protocol):
    def team_for(self, kind: str, community: str | None, compound: str | None) -> str | None:
        """The team of that kind covering that place (most specific wins), or None."""
        ...


@dataclass(frozen=True)
class RoutingDecision:
    rule_id: str | None  # None: no rule matched -> triage queue
    rule_name: str | None
    matched: tuple[str, ...]  # the conditions that held, human-readable
    lead_team: str | None
    assist_teams: tuple[str, ...]
    priority: str | None  # set by the rules (None = keep the operator's / the default)
    sla_policy: str | None
    tags: tuple[str, ...]
    police_matter: bool

    @property
    def to_triage(self) -> bool:
        return self.lead_team is None

    @classmethod
    def unrouted(cls) -> RoutingDecision:
        """For an order the rules are not asked about (handled on the spot by its reporter)."""
        return cls(None, None, (), None, (), None, None, (), False)


def _most_urgent(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return min(a, b)  # "P1" < "P2": the smaller is the more urgent


def _keys(values: Sequence[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values is not None else None


def _words(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise(v) for v in values)) if values else ()


class CompiledRule:
    """One rule, its conditions as sets and tuples, checked cheapest first."""

    __slots__ = (
        "any_words",
        "categories",
        "channels",
        "communities",
        "compounds",
        "flags",
        "must_words",
        "no_words",
        "position",
        "priorities",
        "rule",
        "window",
    )

    def __init__(self, position: int, rule: Rule) -> None:
        w = rule.when
        self.position = position
        self.rule = rule
        self.categories = _keys(w.category)
        self.compounds = _keys(w.compound)
        self.communities = _keys(w.community)
        self.channels = _keys(w.channel)
        self.priorities = _keys(w.priority)
        self.flags = _keys(w.caller_flags_any)
        self.window = w.time_of_day.minutes if w.time_of_day else None
        self.any_words = _words(w.keywords_any)
        self.must_words = _words(w.keywords_all)
        self.no_words = _words(w.not_keywords)

    def accepts(self, facts: OrderFacts, minute: int, text: Description) -> bool:
        if self.categories is not None and facts.category not in self.categories:
            return False
        if self.compounds is not None and facts.compound not in self.compounds:
            return False
        if self.communities is not None and facts.community not in self.communities:
            return False
        if self.channels is not None and facts.channel not in self.channels:
            return False
        if self.priorities is not None and facts.priority not in self.priorities:
            return False
        if self.flags is not None and self.flags.isdisjoint(facts.caller_flags):
            return False
        if self.window is not None and not _inside(self.window, minute):
            return False
        if self.any_words and not any(text.mentions(k) for k in self.any_words):
            return False
        if self.must_words and not all(text.mentions(k) for k in self.must_words):
            return False
        return not any(text.mentions(k) for k in self.no_words)

    def explain(self, facts: OrderFacts, text: Description) -> list[str]:
        """The conditions that held, for the operator: why the order went where it went."""
        w = self.rule.when
        said: list[str] = []
        if w.category:
            said.append(f"category in [{', '.join(w.category)}]")
        if w.compound:
            said.append(f"compound = {facts.compound}")
        if w.community:
            said.append(f"community = {facts.community}")
        if w.channel:
            said.append(f"channel = {facts.channel}")
        if w.priority:
            said.append(f"priority = {facts.priority}")
        if self.flags is not None:
            said.append(f"caller is {', '.join(sorted(self.flags & facts.caller_flags))}")
        if w.time_of_day:
            said.append(f"received {w.time_of_day.start}-{w.time_of_day.end} local time")
        found = [k for k in self.any_words if text.mentions(k)] + list(self.must_words)
        if found:
            said.append(f"description mentions {'、'.join(dict.fromkeys(found))}")
        if self.no_words:
            said.append(f"description does not mention {'、'.join(self.no_words)}")
        return said


def _inside(window: tuple[int, int], minute: int) -> bool:
    start, end = window
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end  # wraps midnight: 22:00-06:00


def _team(ref: TeamRef, facts: OrderFacts, coverage: Coverage) -> str | None:
    if isinstance(ref, TeamByKind):
        return coverage.team_for(ref.kind, facts.community, facts.compound)
    return ref


_MAX_KEYS_PER_RULE = 256
Key = tuple[str | None, ...]


class _Index:
    """Which rules can match an order, found without looking at the others.

    A rule naming a category, compound or community is filed under all the exact fields it
    names (with channel and priority: one table per combination of fields, keyed by their
    values). Otherwise it is filed under a keyword it needs, else a caller flag, else its
    channel/priority, else the hours of its time window; a rule with none of these (a
    catch-all) is always a candidate. An order's candidates are the rules filed under its
    own values (about 100 of the benchmark's 10,000), in file order.
    """

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.tables: dict[tuple[int, ...], dict[Key, list[int]]] = {}
        self.words: dict[str, list[int]] = {}
        self.flags: dict[str, list[int]] = {}
        self.hours: list[list[int]] = [[] for _ in range(24)]
        self.always: list[int] = []
        for r in rules:
            self._file(r)
        self.word_lengths = tuple(sorted({len(w) for w in self.words}))
        self.timed = any(self.hours)

    def _file(self, r: CompiledRule) -> None:
        fields = [
            (i, sorted(values))
            for i, values in enumerate(
                (r.categories, r.compounds, r.communities, r.channels, r.priorities)
            )
            if values is not None
        ]
        while fields and prod(len(v) for _, v in fields) > _MAX_KEYS_PER_RULE:
            fields.remove(max(fields, key=lambda f: len(f[1])))  # still checked, not indexed
        strong = any(i < 3 for i, _ in fields)  # a category or a place narrows well
        if strong or (fields and not (r.must_words or r.any_words or r.flags)):
            table = self.tables.setdefault(tuple(i for i, _ in fields), {})
            for key in product(*(values for _, values in fields)):
                table.setdefault(key, []).append(r.position)
        elif r.must_words:  # all must occur: the longest is the rarest
            self.words.setdefault(max(r.must_words, key=len), []).append(r.position)
        elif r.any_words:
            for word in r.any_words:
                self.words.setdefault(word, []).append(r.position)
        elif r.flags is not None:
            for flag in r.flags:
                self.flags.setdefault(flag, []).append(r.position)
        elif r.window is not None:
            for hour in _hours(r.window):
                self.hours[hour].append(r.position)
        else:
            self.always.append(r.position)

    def candidates(self, facts: OrderFacts, text: str, minute: int) -> Sequence[int]:
        """Positions of the rules that may match, in file order."""
        values = (facts.category, facts.compound, facts.community, facts.channel, facts.priority)
        found: list[list[int]] = [self.always]
        for fields, table in self.tables.items():
            hit = table.get(tuple(values[i] for i in fields))
            if hit:
                found.append(hit)
        found += (self.words[w] for w in self._words_in(text))
        found += (self.flags[f] for f in facts.caller_flags if f in self.flags)
        if self.timed and minute >= 0:
            found.append(self.hours[minute // 60])
        if len(found) == 1:
            return self.always
        return sorted(set(chain.from_iterable(found)))

    def _words_in(self, text: str) -> list[str]:
        words, lengths = self.words, self.word_lengths
        if len(words) <= len(text) * len(lengths):
            return [w for w in words if w in text]
        spans = {text[i : i + n] for n in lengths for i in range(len(text) - n + 1)}
        return [w for w in spans if w in words]


def _hours(window: tuple[int, int]) -> list[int]:
    """The hours of the day a window touches: 22:00-06:00 is 22, 23, 0, 1, 2, 3, 4, 5."""
    start, end = window
    last = start + (end - start) % (24 * 60) - 1  # the window's last minute, past midnight
    return sorted({hour % 24 for hour in range(start // 60, last // 60 + 1)})


class RuleSet:
    """Immutable compiled rules (enabled ones), indexed so cost follows the candidates."""

    def __init__(
        self, rules: Sequence[Rule], *, source: str, version: str, timezone: str, text: str = ""
    ) -> None:
        self.source = source
        self.version = version
        self.text = text  # the file's text it was read from: kept with its version
        self.timezone = ZoneInfo(timezone)
        enabled = [r for r in rules if r.enabled]
        self._rules = tuple(CompiledRule(i, r) for i, r in enumerate(enabled))
        self._index = _Index(self._rules)
        self._timed = any(r.window is not None for r in self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The enabled rules, in the order they are tried."""
        return tuple(compiled.rule for compiled in self._rules)

    def __repr__(self) -> str:
        return f"<RuleSet {self.source} {self.version}: {len(self)} rules>"

    def rules_naming(self, team_code: str) -> list[str]:
        """Ids of the enabled rules that send orders to this team by its code, to lead or
        to assist. A rule asking for a kind of team names none: coverage picks among the
        teams in service."""
        return [r.id for r in self.rules if team_code in (r.then.assign, *r.then.assist)]

    def route(self, facts: OrderFacts, coverage: Coverage) -> RoutingDecision:
        text = Description(facts.description)
        minute = -1
        if self._timed:
            local = facts.received_at.astimezone(self.timezone)
            minute = local.hour * 60 + local.minute
        chain_: list[CompiledRule] = []  # `continue` rules that matched, in order
        for position in self._index.candidates(facts, text.text, minute):
            rule = self._rules[position]
            if not rule.accepts(facts, minute, text):
                continue
            if rule.rule.continue_:
                chain_.append(rule)
                continue
            then = rule.rule.then
            assert then.assign is not None  # the loader refuses a deciding rule without one
            lead = _team(then.assign, facts, coverage)
            if lead is None:
                continue  # no team of that kind covers the place: the next rule may
            assists = (_team(ref, facts, coverage) for ref in then.assist)
            return _decision(facts, text, [*chain_, rule], lead, assists)
        return _decision(facts, text, chain_, None, ())


def _decision(
    facts: OrderFacts,
    text: Description,
    rules: Sequence[CompiledRule],
    lead: str | None,
    assists: Iterable[str | None],
) -> RoutingDecision:
    """`priority` sets (a later rule overrides); `raise_priority_to` is a floor on the result."""
    matched: list[str] = []
    tags: list[str] = []
    chosen: str | None = None
    floor: str | None = None
    for r in rules:
        said = r.explain(facts, text)
        matched += [f"{r.rule.id}: {s}" for s in said] if r.rule.continue_ else said
        tags += r.rule.then.tags
        chosen = r.rule.then.priority or chosen
        floor = _most_urgent(floor, r.rule.then.raise_priority_to)
    priority = None
    if chosen or floor:
        priority = _most_urgent(chosen or facts.priority, floor)
    decider = rules[-1].rule if lead is not None else None
    return RoutingDecision(
        rule_id=decider.id if decider else None,
        rule_name=decider.name if decider else None,
        matched=tuple(matched),
        lead_team=lead,
        assist_teams=tuple(dict.fromkeys(t for t in assists if t is not None and t != lead)),
        priority=priority,
        sla_policy=decider.then.sla if decider else None,
        tags=tuple(dict.fromkeys(tags)),
        police_matter=decider.then.police_matter if decider else False,
    )
