"""Reading a rules file: refused with file, line and reason, or compiled into a RuleSet."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from dispatch.routing.engine import RuleSet
from dispatch.routing.rules import Rule, RulesFile, TeamByKind, TeamRef, Then, TimeOfDay, When

Path_ = Sequence[int | str]


class RulesFileError(Exception):
    """A rules file refused: str() is "file:line: reason" (or "file: reason" without a line)."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        super().__init__(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")


@dataclass(frozen=True)
class Vocabulary:
    """Known codes; a rule naming anything else is refused. None means: don't check."""

    categories: frozenset[str] | None = None
    teams: frozenset[str] | None = None
    team_kinds: frozenset[str] | None = None
    communities: frozenset[str] | None = None
    compounds: frozenset[str] | None = None
    sla_policies: frozenset[str] | None = None


def _read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def vocabulary_from_config(config_dir: str | Path) -> Vocabulary:
    """Codes from world.yaml and teams.yaml; SLA names from escalation.yaml when it is there."""
    config = Path(config_dir)
    world = _read_yaml(config / "world.yaml")
    teams = _read_yaml(config / "teams.yaml").get("teams", [])
    communities = world.get("communities", [])
    sla: frozenset[str] | None = None
    if (config / "escalation.yaml").exists():
        policies = _read_yaml(config / "escalation.yaml").get("policies")
        sla = frozenset(policies) if isinstance(policies, dict) else None
    return Vocabulary(
        categories=frozenset(c["code"] for c in world.get("categories", [])),
        teams=frozenset(t["code"] for t in teams),
        team_kinds=frozenset(t["kind"] for t in teams),
        communities=frozenset(c["code"] for c in communities),
        compounds=frozenset(x["code"] for c in communities for x in c.get("compounds", [])),
        sla_policies=sla,
    )


try:
    from yaml import CSafeLoader as _SafeLoader  # libyaml: a few times faster
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """Safe YAML without base-60 numbers: an unquoted 22:00 stays the text "22:00"."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":int", ":float"))]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9_]*|0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+|\.(?:inf|Inf|INF))$"),
    list("-+0123456789."),
)


def _compose(text: str, source: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(p for p in (exc.context, exc.problem) if p)
        raise RulesFileError(source, mark.line + 1 if mark else None, f"YAML: {reason}") from exc
    except yaml.YAMLError as exc:
        raise RulesFileError(source, None, f"YAML: {exc}") from exc
    finally:
        loader.dispose()


def _construct(node: yaml.Node) -> Any:
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _mappings(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
        for _key, value in node.value:
            yield from _mappings(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _mappings(item)


def _refuse_duplicate_keys(node: yaml.Node, source: str) -> None:
    """YAML would silently keep the last of two `when:`; a rules file must not."""
    for mapping in _mappings(node):
        seen: set[object] = set()
        for key, _value in mapping.value:
            if key.value in seen:
                line = key.start_mark.line + 1
                raise RulesFileError(source, line, f"duplicate key {key.value!r}")
            seen.add(key.value)


def _line_of(root: yaml.Node, path: Path_) -> int:
    """Follow a path (rules, 3, when, category, 0) through the YAML tree to a 1-based line.

    A path ending at a key points at the key's line; one that leads nowhere (a missing key)
    points at the deepest node it reached.
    """
    node = root
    for i, step in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                break
            key, node = pair
            if i == len(path) - 1:
                return int(key.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
        else:
            break
    return int(node.start_mark.line) + 1


_MODELS: dict[str, type[BaseModel]] = {
    "rules": Rule,
    "when": When,
    "then": Then,
    "time_of_day": TimeOfDay,
}


def _allowed_keys(loc: Sequence[int | str]) -> list[str]:
    model: type[BaseModel] = RulesFile
    for step in loc[:-1]:
        if isinstance(step, str) and step in _MODELS:
            model = _MODELS[step]
    return [f.alias or name for name, f in model.model_fields.items()]


def _where(loc: Sequence[int | str], data: Any) -> str:
    """rule 'fire-lane' when.category[0], for the reason of an error."""
    parts: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "rules" and isinstance(rest[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        item = rules[rest[1]] if isinstance(rules, list) and rest[1] < len(rules) else None
        rule_id = item.get("id") if isinstance(item, dict) else None
        parts.append(f"rule {rule_id!r}" if rule_id else f"rule #{rest[1] + 1}")
        rest = rest[2:]
    dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    return " ".join([*parts, dotted]).strip()


def _reason(error: ErrorDetails, data: Any) -> str:
    loc = list(error["loc"])
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc)
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
        where = _where(loc[:-1], data)
        return f"unknown key {key!r}" + (f" in {where}" if where else "") + hint
    if error["type"] == "missing":
        where = _where(loc[:-1], data)
        return f"missing {loc[-1]!r}" + (f" in {where}" if where else "")
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{_where(loc, data)}: {message}"


def _check_rule(rule: Rule, at: list[int | str], vocab: Vocabulary, refuse: _Refuse) -> None:
    when, then = rule.when, rule.then
    for key, what, known in (
        ("category", "category", vocab.categories),
        ("community", "community", vocab.communities),
        ("compound", "compound", vocab.compounds),
    ):
        for j, value in enumerate(getattr(when, key) or ()):
            if known is not None and value not in known:
                refuse([*at, "when", key, j], f"unknown {what} {value!r}")
    if when.time_of_day and when.time_of_day.start == when.time_of_day.end:
        refuse([*at, "when", "time_of_day"], "time_of_day: 'from' and 'to' are the same time")
    if rule.continue_:
        for key in ("assign", "assist", "sla", "police_matter"):
            if key in then.model_fields_set:
                refuse([*at, "then", key], f"a `continue` rule may not set {key!r}")
        if not (then.priority or then.raise_priority_to or then.tags):
            reason = "a `continue` rule must set priority, raise_priority_to or tags"
            refuse([*at, "then"], reason)
    elif then.assign is None:
        refuse([*at, "then"], f"rule {rule.id!r} assigns no team (add `assign` or `continue`)")
    if then.assign is not None:
        _check_team([*at, "then", "assign"], then.assign, vocab, refuse)
    for j, ref in enumerate(then.assist):
        _check_team([*at, "then", "assist", j], ref, vocab, refuse)
    known_sla = vocab.sla_policies
    if then.sla is not None and known_sla is not None and then.sla not in known_sla:
        refuse([*at, "then", "sla"], f"unknown SLA policy {then.sla!r}")


def _check_team(at: list[int | str], ref: TeamRef, vocab: Vocabulary, refuse: _Refuse) -> None:
    if isinstance(ref, TeamByKind):
        if vocab.team_kinds is not None and ref.kind not in vocab.team_kinds:
            refuse([*at, "kind"], f"unknown team kind {ref.kind!r}")
    elif vocab.teams is not None and ref not in vocab.teams:
        refuse(at, f"unknown team {ref!r}")


class _Refuse:
    def __init__(self, source: str, root: yaml.Node) -> None:
        self.source, self.root = source, root

    def __call__(self, path: Path_, reason: str) -> NoReturn:
        raise RulesFileError(self.source, _line_of(self.root, path), reason)


def parse_rules(text: str, source: str, vocabulary: Vocabulary | None = None) -> RuleSet:
    """Validate a rules file's text and compile it; RulesFileError names the line at fault."""
    root = _compose(text, source)
    if root is None:
        raise RulesFileError(source, None, "empty file: expected `rules:` with a list of rules")
    _refuse_duplicate_keys(root, source)
    refuse = _Refuse(source, root)
    data = _construct(root)
    if not isinstance(data, dict):
        refuse([], "a rules file is a mapping with a `rules:` list")
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()  # a misspelt key explains the "missing" one: name it first
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        refuse(first["loc"], _reason(first, data))
    seen: dict[str, int] = {}
    for i, rule in enumerate(parsed.rules):
        if rule.id in seen:
            first_line = _line_of(root, ["rules", seen[rule.id], "id"])
            reason = f"duplicate rule id {rule.id!r} (first at line {first_line})"
            refuse(["rules", i, "id"], reason)
        seen[rule.id] = i
        _check_rule(rule, ["rules", i], vocabulary or Vocabulary(), refuse)
    return RuleSet(
        parsed.rules,
        source=source,
        version=text_version(text),
        timezone=parsed.timezone,
        text=text,
    )


def text_version(text: str) -> str:
    """What names one text of a rules file, in force or being edited."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load_rules(path: str | Path, vocabulary: Vocabulary | None = None) -> RuleSet:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesFileError(str(path), None, f"cannot read: {exc}") from exc
    return parse_rules(text, str(path), vocabulary)


Stamp = tuple[int, int, int] | None


@dataclass(frozen=True)
class FromFile:
    """Rules read from this instance's file that the other instances have not been told of.
    `at_start`: read when the instance started, not edited while it ran."""

    rules: RuleSet
    at_start: bool


class RulesRegistry:
    """The rules this instance routes by: read from its rules file, or put in force on
    another instance (dispatch/routing/sharing.py). A broken file never replaces them: it is
    refused and remembered."""

    def __init__(self, path: str | Path, vocabulary: Vocabulary | None = None) -> None:
        self.path = Path(path)
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._last_error: RulesFileError | None = None
        self._stamp = self._stat()
        self._current = load_rules(self.path, vocabulary)
        self._from_file: FromFile | None = FromFile(self._current, at_start=True)
        # The change of the shared rules (RulesInForce.generation) these rules are; 0: none yet.
        self.generation = 0
        self.shared_error: str | None = None  # rules in force elsewhere that this one refused
        # Ask which rules are in force everywhere, soon: this file's are news, or they are old.
        self.look_at_shared: Callable[[], None] | None = None

    @property
    def current(self) -> RuleSet:
        return self._current

    @property
    def last_error(self) -> RulesFileError | None:
        """Why the file on disk is not in force, or None if it is."""
        return self._last_error

    @property
    def from_file(self) -> FromFile | None:
        return self._from_file

    def _stat(self) -> Stamp:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def reload(self) -> RuleSet:
        """Load the file now; a broken one raises RulesFileError and the old rules stay."""
        with self._lock:
            return self._load()

    def file_unchanged(self) -> bool:
        return self._stat() == self._stamp

    def reload_if_changed(self) -> RuleSet:
        """One stat: an edited file is picked up without a restart.

        While one thread loads an edited file the others do not wait: they route with the
        rules in force until the new ones are ready. A broken file is kept out and remembered
        in last_error; it is not read again until it changes.
        """
        if self.file_unchanged() or not self._lock.acquire(blocking=False):
            return self._current
        try:
            return self._current if self.file_unchanged() else self._load()
        except RulesFileError:
            return self._current
        finally:
            self._lock.release()

    @contextmanager
    def editing(self) -> Iterator[None]:
        """Hold off reloads while the file is replaced, so no half-written file is read."""
        with self._lock:
            yield

    def adopt(self, fresh: RuleSet, generation: int) -> None:
        """Put rules just saved (and written to the file) in force (the caller holds
        `editing`)."""
        self._stamp = self._stat()
        self._current, self._last_error, self._from_file = fresh, None, None
        self.generation = max(self.generation, generation)

    def follow(self, shared: RuleSet, generation: int) -> bool:
        """Route by rules put in force elsewhere, unless these are as new, or this
        instance's file holds an edit the others have not been told of yet."""
        with self._lock:
            if generation <= self.generation or self._from_file is not None:
                return False
            self._current, self.generation = shared, generation
            return True

    def told(self, rules: RuleSet, generation: int) -> None:
        """The rules read from the file are in force everywhere (or, read at start, were
        found kept already and give way to the shared ones): no longer news."""
        with self._lock:
            if self._from_file is not None and self._from_file.rules is rules:
                self._from_file = None
                if self._current is rules:
                    self.generation = max(self.generation, generation)

    def _load(self) -> RuleSet:
        stamp = self._stat()  # before reading: an edit made during the read is seen next time
        self._stamp = stamp
        try:
            fresh = load_rules(self.path, self.vocabulary)
        except RulesFileError as exc:
            self._last_error = exc
            raise
        self._current, self._last_error = fresh, None
        self._from_file = FromFile(fresh, at_start=False)
        self.ask_shared()
        return fresh

    def ask_shared(self) -> None:
        if self.look_at_shared is not None:
            self.look_at_shared()
