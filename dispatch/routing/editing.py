"""Changing the rules from the desk: checked as a reload would, in force on every instance at
once, never over a change someone else made in between, and written to this instance's file."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from dispatch.database import after_commit
from dispatch.errors import Conflict, InvalidInput
from dispatch.routing import history
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import RulesFileError, RulesRegistry, parse_rules

log = logging.getLogger(__name__)

PREVIOUS_SUFFIX = ".previous"  # the text replaced by the last save, to undo it by hand


@dataclass(frozen=True)
class RulesText:
    source: str
    text: str
    version: str


def rules_text(session: Session, registry: RulesRegistry) -> RulesText:
    """The text to edit: the rules in force, or this instance's file when it was refused and
    waits to be mended. `version` is always the rules in force, which a save replaces."""
    current = registry.current
    shared = history.in_force(session)
    if shared is not None and shared.generation > registry.generation:
        registry.ask_shared()  # changed on another instance, not followed here yet
        current_text, version = history.version_text(session, shared.version).text, shared.version
    else:
        current_text, version = current.text, current.version
    text = _read(registry.path) if registry.last_error else current_text
    return RulesText(source=registry.path.name, text=text, version=version)


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
    session: Session,
    registry: RulesRegistry,
    text: str,
    based_on: str,
    *,
    out_of_service: frozenset[str] = frozenset(),
    now: datetime,
    saved_by: str,
) -> RuleSet:
    """Put `text` in force on every instance from the commit on, and write it over this
    instance's file. Refused, changing nothing, if it does not check or if the rules in force
    are no longer the version `based_on` the editor started from."""
    registry.reload_if_changed()  # a hand edit of the file since: the editor did not see it
    found = _in_force_version(session, registry)
    if found != based_on:
        registry.ask_shared()  # this instance may be the one behind
        raise Conflict(
            f"the rules were changed since version {based_on} was opened (now {found}):"
            " open them again and make the change there",
            field="based_on",
            current_version=found,
        )
    fresh = _checked(text, str(registry.path), registry, out_of_service)
    generation = history.put_in_force(session, fresh, now=now, by=saved_by).generation
    after_commit(session, lambda: _write_and_adopt(registry, fresh, generation))
    return fresh


def reload_file(session: Session, registry: RulesRegistry, *, now: datetime) -> RuleSet:
    """Read this instance's rules file now and put it in force on every instance; a broken
    file is refused (422 on `rules`) and the rules in force keep running."""
    try:
        current = registry.reload()
    except RulesFileError as exc:
        raise refused(exc, field="rules") from exc
    generation = history.put_in_force(session, current, now=now).generation
    after_commit(session, lambda: registry.told(current, generation))
    return current


def _in_force_version(session: Session, registry: RulesRegistry) -> str:
    """Locked until the commit: a save on another instance at the same moment waits, then
    finds the version it replaced gone."""
    shared = history.in_force(session, lock=True)
    news = registry.from_file
    if news is not None and not news.at_start:  # not told to the others yet, but in force here
        return news.rules.version
    return shared.version if shared is not None else registry.current.version


def _write_and_adopt(registry: RulesRegistry, fresh: RuleSet, generation: int) -> None:
    """The file follows the rules in force, so the laptop desk's rules.yaml says what routes
    and a restart reads it back. A file that cannot be written (config/ read-only in a
    container) costs nothing: the database holds the rules for every instance."""
    with registry.editing():
        try:
            on_disk = registry.path.read_text(encoding="utf-8")
            _write_whole(registry.path.with_name(registry.path.name + PREVIOUS_SUFFIX), on_disk)
            _write_whole(registry.path, fresh.text)
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("rules %s in force; %s not written: %s", fresh.version, registry.path, exc)
        registry.adopt(fresh, generation)


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
