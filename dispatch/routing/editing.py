"""Changing the rules file from the desk: checked as a reload would, written whole, and never
over a change someone else saved in between."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dispatch.errors import Conflict, InvalidInput
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import RulesFileError, RulesRegistry, parse_rules, text_version

PREVIOUS_SUFFIX = ".previous"  # the text replaced by the last save, to undo it by hand


@dataclass(frozen=True)
class RulesText:
    source: str
    text: str
    version: str


def rules_text(registry: RulesRegistry) -> RulesText:
    """The file as it is on disk: the rules in force, or a refused file waiting to be mended."""
    text = _read(registry.path)
    return RulesText(source=registry.path.name, text=text, version=text_version(text))


def check_text(
    registry: RulesRegistry, text: str, out_of_service: frozenset[str] = frozenset()
) -> RuleSet:
    """The rules that text would put in force; InvalidInput names the line at fault."""
    return _checked(text, registry.path.name, registry, out_of_service)


def _checked(
    text: str, source: str, registry: RulesRegistry, out_of_service: frozenset[str]
) -> RuleSet:
    try:
        fresh = parse_rules(text, source, registry.vocabulary)
    except RulesFileError as exc:
        raise refused(exc) from exc
    # The file knows every team of teams.yaml; the desk knows which were taken out of
    # service since. Orders such a rule matches would wait in triage.
    for team in sorted(out_of_service):
        for rule_id in fresh.rules_naming(team):
            reason = f"rule {rule_id!r} names team {team!r}, which is out of service"
            raise refused(RulesFileError(source, _line_of_rule(text, rule_id), reason))
    return fresh


def _line_of_rule(text: str, rule_id: str) -> int | None:
    pattern = re.compile(rf"^\s*(-\s*)?id:\s*['\"]?{re.escape(rule_id)}['\"]?\s*(#.*)?$")
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)), None)


def save_text(
    registry: RulesRegistry,
    text: str,
    based_on: str,
    out_of_service: frozenset[str] = frozenset(),
) -> tuple[RuleSet, RuleSet]:
    """Write `text` over the file and put it in force; returns the new rules and the ones
    that were in force. Refused, changing nothing, if it does not check or if the file is no
    longer the version `based_on` the editor started from."""
    with registry.editing():
        on_disk = _read(registry.path)
        found = text_version(on_disk)
        if found != based_on:
            raise Conflict(
                f"the rules file was changed since version {based_on} was opened (now {found}):"
                " open it again and make the change there",
                field="based_on",
                current_version=found,
            )
        fresh = _checked(text, str(registry.path), registry, out_of_service)
        try:
            _write_whole(registry.path.with_name(registry.path.name + PREVIOUS_SUFFIX), on_disk)
            _write_whole(registry.path, text)
        except OSError as exc:
            raise Conflict(
                f"the rules file cannot be written here ({exc.strerror or exc}): change it where"
                " the desk's configuration is kept",
                field="text",
            ) from exc
        replaced = registry.current
        registry.adopt(fresh)
        return fresh, replaced


def refused(exc: RulesFileError, field: str = "text") -> InvalidInput:
    """A refused rules text as the API answers it: file, line and reason beside the message."""
    return InvalidInput(
        f"rules refused: {exc}", field=field, file=exc.file, line=exc.line, reason=exc.reason
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Conflict(f"the rules file cannot be read: {exc}", field="text") from exc


def _write_whole(path: Path, text: str) -> None:
    """Other instances may read the file at any moment: they see the old text or the new,
    never part of one (a rename within one directory is atomic)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
