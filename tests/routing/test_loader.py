"""An admin edits the rules file: mistakes are refused with file, line and reason."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dispatch.routing import loader
from dispatch.routing.cli import rules_app
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import (
    RulesFileError,
    RulesRegistry,
    Vocabulary,
    load_rules,
    parse_rules,
    vocabulary_from_config,
)

REPO = Path(__file__).resolve().parents[2]

WORLD = Vocabulary(
    categories=frozenset({"fire_lane", "noise"}),
    teams=frozenset({"jindi-property", "community-police", "legal-aid"}),
    team_kinds=frozenset({"property", "police"}),
    communities=frozenset({"jindi"}),
    compounds=frozenset({"jindi-garden"}),
    sla_policies=frozenset({"safety_hazard", "emergency"}),
)

GOOD = """\
version: 1
timezone: Asia/Shanghai
rules:
  - id: fire-lane
    name: 消防通道堵塞派物业
    when:
      category: [fire_lane]
      compound: [jindi-garden]
    then:
      assign: {kind: property}
      sla: safety_hazard
"""


def refusal(text: str) -> RulesFileError:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, "config/rules.yaml", WORLD)
    return caught.value


def test_demo_rules_file_loads_against_the_demo_world_codes() -> None:
    ruleset = load_rules(REPO / "config" / "rules.yaml", vocabulary_from_config(REPO / "config"))
    assert len(ruleset) >= 15
    assert ruleset.source.endswith("rules.yaml")
    assert len(ruleset.version) == 12


def test_vocabulary_knows_the_codes_of_world_and_teams() -> None:
    vocabulary = vocabulary_from_config(REPO / "config")
    assert vocabulary.categories is not None and "fire_lane" in vocabulary.categories
    assert vocabulary.teams is not None and "jindi-property" in vocabulary.teams
    assert vocabulary.team_kinds is not None and "property" in vocabulary.team_kinds
    assert vocabulary.communities is not None and "qingshui" in vocabulary.communities
    assert vocabulary.compounds is not None and "jindong-haoting" in vocabulary.compounds


def test_a_good_file_compiles_and_its_version_follows_its_content() -> None:
    first = parse_rules(GOOD, "a.yaml", WORLD)
    again = parse_rules(GOOD, "a.yaml", WORLD)
    edited = parse_rules(GOOD.replace("safety_hazard", "emergency"), "a.yaml", WORLD)
    assert len(first) == 1
    assert first.version == again.version != edited.version


def test_error_reads_file_colon_line_colon_reason() -> None:
    error = refusal(GOOD.replace("assign: {kind: property}", "assign: foo"))
    assert (error.file, error.line, error.reason) == ("config/rules.yaml", 10, "unknown team 'foo'")
    assert str(error) == "config/rules.yaml:10: unknown team 'foo'"


def _edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


BROKEN = [
    ("yaml syntax", _edit("category: [fire_lane]", "category: [fire_lane"), 8, "YAML"),
    (
        "misspelt key",
        _edit("category:", "categroy:"),
        7,
        "unknown key 'categroy' in rule 'fire-lane' when (did you mean 'category'?)",
    ),
    ("misspelt rule key", _edit("then:", "thne:"), 9, "unknown key 'thne'"),
    ("unknown top key", "rulez: []\n" + GOOD, 1, "unknown key 'rulez'"),
    ("unknown team", _edit("{kind: property}", "ghostbusters"), 10, "unknown team 'ghostbusters'"),
    ("unknown kind", _edit("kind: property", "kind: plumbers"), 10, "unknown team kind 'plumbers'"),
    (
        "unknown assisting team",
        _edit("      sla:", "      assist: [legal-aid, nobody]\n      sla:"),
        11,
        "unknown team 'nobody'",
    ),
    ("unknown category", _edit("[fire_lane]", "[fire_lanes]"), 7, "unknown category 'fire_lanes'"),
    (
        "unknown compound",
        _edit("[jindi-garden]", "[jindi-garden, atlantis]"),
        8,
        "unknown compound 'atlantis'",
    ),
    (
        "unknown community",
        _edit("      compound:", "      community: [gotham]\n      compound:"),
        8,
        "unknown community 'gotham'",
    ),
    ("unknown SLA", _edit("sla: safety_hazard", "sla: asap"), 11, "unknown SLA policy 'asap'"),
    (
        "bad time",
        _edit(
            "      compound:", '      time_of_day: {from: "25:00", to: "06:00"}\n      compound:'
        ),
        8,
        "time '25:00' is not HH:MM",
    ),
    (
        "empty time window",
        _edit("      compound:", "      time_of_day: {from: 08:00, to: 08:00}\n      compound:"),
        8,
        "'from' and 'to' are the same time",
    ),
    (
        "bad priority",
        _edit("      sla:", "      priority: P5\n      sla:"),
        11,
        "rule 'fire-lane' then.priority: Input should be 'P1', 'P2', 'P3' or 'P4'",
    ),
    (
        "unknown channel",
        _edit("      compound:", "      channel: [phone, fax]\n      compound:"),
        8,
        "when.channel[1]: Input should be",
    ),
    ("empty condition", _edit("[jindi-garden]", "[]"), 8, "when.compound: List should have"),
    ("id with spaces", _edit("id: fire-lane", "id: fire lane"), 4, "should match pattern"),
    (
        "duplicate id",
        GOOD + "  - id: fire-lane\n    name: 重复\n    then: {assign: legal-aid}\n",
        12,
        "duplicate rule id 'fire-lane' (first at line 4)",
    ),
    ("duplicate key", _edit("      sla:", "      sla: emergency\n      sla:"), 12, "duplicate key"),
    ("no then", GOOD.split("    then:")[0], 4, "missing 'then' in rule 'fire-lane'"),
    ("assigns no one", _edit("assign: {kind: property}", "tags: [x]"), 9, "assigns no team"),
    (
        "continue assigns",
        _edit("    when:", "    continue: true\n    when:"),
        11,
        "a `continue` rule may not set 'assign'",
    ),
    (
        "continue sets nothing",
        _edit("    when:", "    continue: true\n    when:").replace(
            "assign: {kind: property}\n      sla: safety_hazard", "{}"
        ),
        10,
        "a `continue` rule must set priority",
    ),
    ("unknown timezone", _edit("Asia/Shanghai", "Asia/Shangai"), 2, "unknown timezone"),
    ("not a mapping", "- id: a\n", 1, "a rules file is a mapping"),
]


@pytest.mark.parametrize(
    ("text", "line", "reason"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_broken_rules_file_is_refused_with_line_and_reason(
    text: str, line: int, reason: str
) -> None:
    error = refusal(text)
    assert error.line == line, str(error)
    assert reason in error.reason, str(error)


def test_clock_times_may_be_written_without_quotes() -> None:
    text = _edit("      compound:", "      time_of_day: {from: 22:00, to: 06:00}\n      compound:")
    assert len(parse_rules(text, "a.yaml", WORLD)) == 1


def test_empty_file_is_refused() -> None:
    assert "empty file" in refusal("# nothing yet\n").reason


def test_missing_file_is_refused_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError) as caught:
        load_rules(tmp_path / "nope.yaml")
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{tmp_path / 'nope.yaml'}: cannot read")


def test_without_a_vocabulary_unknown_codes_are_not_checked() -> None:
    text = _edit("{kind: property}", "ghostbusters").replace("fire_lane", "ufo")
    assert len(parse_rules(text, "a.yaml")) == 1


# The rules in force, while the file is edited.


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # an editor's save: a later modification time
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_registry_refuses_to_start_on_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    _write(path, _edit("category:", "categroy:"))
    with pytest.raises(RulesFileError):
        RulesRegistry(path, WORLD)


def test_reload_of_a_broken_file_keeps_the_rules_in_force_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    _write(path, GOOD)
    registry = RulesRegistry(path, WORLD)
    in_force = registry.current
    _write(path, _edit("{kind: property}", "ghostbusters"))
    with pytest.raises(RulesFileError) as caught:
        registry.reload()
    assert caught.value.line == 10
    assert registry.current is in_force
    assert registry.last_error is caught.value


def test_reload_if_changed_picks_up_an_edit_without_restart(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    _write(path, GOOD)
    registry = RulesRegistry(path, WORLD)
    first = registry.current
    assert registry.reload_if_changed() is first  # unchanged: not read again
    _write(path, GOOD.replace("assign: {kind: property}", "assign: community-police"))
    fresh = registry.reload_if_changed()
    assert fresh is not first and fresh is registry.current
    assert fresh.version != first.version
    assert registry.last_error is None


def test_reload_if_changed_keeps_old_rules_on_a_broken_edit_until_it_is_fixed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.yaml"
    _write(path, GOOD)
    registry = RulesRegistry(path, WORLD)
    in_force = registry.current
    _write(path, _edit("category:", "categroy:"))
    assert registry.reload_if_changed() is in_force
    assert registry.last_error is not None and "categroy" in registry.last_error.reason
    assert registry.reload_if_changed() is in_force  # the broken file is not re-read
    path.unlink()
    assert registry.reload_if_changed() is in_force
    _write(path, GOOD + "\n# fixed\n")
    assert registry.reload_if_changed() is not in_force
    assert registry.last_error is None


def test_orders_keep_routing_with_the_rules_in_force_while_an_edit_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rules.yaml"
    _write(path, GOOD)
    registry = RulesRegistry(path, WORLD)
    in_force = registry.current
    loading, release = threading.Event(), threading.Event()
    real_load = loader.load_rules

    def slow_load(*args: Any) -> RuleSet:
        loading.set()
        release.wait(5)
        return real_load(*args)

    monkeypatch.setattr(loader, "load_rules", slow_load)
    _write(path, GOOD + "\n# edited\n")
    picked_up: list[RuleSet] = []
    worker = threading.Thread(target=lambda: picked_up.append(registry.reload_if_changed()))
    worker.start()
    assert loading.wait(5)
    assert registry.reload_if_changed() is in_force  # no waiting behind the load
    release.set()
    worker.join(5)
    assert picked_up[0] is registry.current is not in_force


# `dispatch rules check FILE`


def test_rules_check_says_ok_with_the_number_of_rules() -> None:
    result = CliRunner().invoke(
        rules_app,
        ["check", str(REPO / "config" / "rules.yaml"), "--config-dir", str(REPO / "config")],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: ") and result.stdout.strip().endswith(" rules")


def test_rules_check_prints_file_line_and_reason_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - id: a\n    name: 甲\n    then: {assign: nobody}\n", "utf-8")
    result = CliRunner().invoke(
        rules_app, ["check", str(bad), "--config-dir", str(REPO / "config")]
    )
    assert result.exit_code == 1
    assert f"{bad}:4: unknown team 'nobody'" in result.stderr
