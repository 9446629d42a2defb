"""An order comes in; the rules say which team gets it, and why."""

from __future__ import annotations

import random
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dispatch.routing import keywords
from dispatch.routing.engine import OrderFacts, RoutingDecision, RuleSet
from dispatch.routing.loader import load_rules, parse_rules

REPO = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Places:
    """A tiny Coverage: (kind, compound or community) -> team; the compound is more specific."""

    def __init__(self, teams: dict[tuple[str, str], str]) -> None:
        self.teams = teams

    def team_for(self, kind: str, community: str | None, compound: str | None) -> str | None:
        for place in (compound, community):
            if place and (kind, place) in self.teams:
                return self.teams[(kind, place)]
        return None


DESK = Places(
    {
        ("property", "jindi-garden"): "jindi-property",
        ("property", "jindong-haoting"): "jindong-property",
        ("grid", "qingshui"): "grid-qingshui",
    }
)

FIRE_LANE = OrderFacts(
    category="fire_lane",
    description="金地花园D区8号楼前电动车堵住了消防通道",
    channel="phone",
    priority=None,
    community="jindi",
    compound="jindi-garden",
    building="D区8号楼",
    caller_flags=frozenset(),
    received_at=datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI),
)


def order(**changes: object) -> OrderFacts:
    return replace(FIRE_LANE, **changes)  # type: ignore[arg-type]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 22, hour, minute, tzinfo=SHANGHAI)


def rules(body: str, timezone: str = "Asia/Shanghai") -> RuleSet:
    text = f"timezone: {timezone}\nrules:\n" + textwrap.indent(textwrap.dedent(body), "  ")
    return parse_rules(text, "test-rules.yaml")


def demo() -> RuleSet:
    return load_rules(REPO / "config" / "rules.yaml")


def route(ruleset: RuleSet, facts: OrderFacts) -> RoutingDecision:
    return ruleset.route(facts, DESK)


# The demo rules, on the requests of the articles.


def test_fire_lane_at_jindi_garden_goes_to_its_property_company() -> None:
    decision = route(demo(), FIRE_LANE)
    assert decision.rule_name == "消防通道堵塞派物业"
    assert decision.lead_team == "jindi-property"
    assert decision.sla_policy == "safety_hazard"
    assert decision.tags == ("safety_hazard",)
    assert decision.matched == ("category in [fire_lane]",)
    assert not decision.to_triage


def test_fire_lane_described_under_other_is_found_by_its_words() -> None:
    decision = route(demo(), order(category="other"))
    assert decision.rule_id == "fire-lane-words"
    assert decision.lead_team == "jindi-property"


def test_blocked_sewer_at_jindong_haoting_is_joint_dispatch_of_water_company_and_property() -> None:
    decision = route(
        demo(),
        order(
            category="drain_blocked",
            description="金东豪庭小区下水道堵塞，污水外溢",
            community="gaotaisi",
            compound="jindong-haoting",
        ),
    )
    assert decision.lead_team == "water-company"
    assert decision.assist_teams == ("jindong-property",)
    assert decision.sla_policy == "urgent"


def test_widow_harassed_by_her_stepson_is_a_police_matter_with_legal_aid() -> None:
    decision = route(
        demo(), order(category="dispute", description="继子深夜上门骚扰威胁，索要丧葬费")
    )
    assert decision.rule_id == "threat-to-person"
    assert decision.lead_team == "community-police"
    assert decision.assist_teams == ("legal-aid",)
    assert decision.police_matter is True
    assert decision.priority == "P1"
    assert decision.sla_policy == "emergency"
    assert "description mentions 骚扰、威胁" in decision.matched


def test_broken_manhole_cover_reaches_public_utility_as_p1_even_filed_under_other() -> None:
    for category in ("manhole_cover", "other"):
        facts = order(category=category, description="泰和路井盖昨晚坏了，学校快放学了")
        decision = route(demo(), replace(facts, community="qingshui", compound="taihe-road"))
        assert (decision.lead_team, decision.priority, decision.sla_policy) == (
            "public-utility",
            "P1",
            "urgent",
        )


@pytest.mark.parametrize(
    ("category", "team", "sla"),
    [
        ("water_supply", "water-company", "utility"),
        ("power_gas_heating", "public-utility", "utility"),
        ("roof_leak", "jindi-property", "general"),
        ("property_certificate", "housing-authority", "complex"),
        ("dispute", "judicial-office", "general"),
        ("elder_care", "silver-eldercare", "general"),
        ("medical_insurance", "community-office", "general"),
        ("fraud_alert", "community-police", "general"),
    ],
)
def test_each_kind_of_request_goes_to_the_team_that_owns_it(
    category: str, team: str, sla: str
) -> None:
    decision = route(demo(), order(category=category, description="请尽快处理"))
    assert (decision.lead_team, decision.sla_policy) == (team, sla)


def test_property_certificate_brings_in_the_property_company_to_assist() -> None:
    decision = route(demo(), order(category="property_certificate", description="房产证没办下来"))
    assert decision.assist_teams == ("jindi-property",)


def test_assisted_resident_with_a_roof_leak_is_raised_to_p2_and_tagged() -> None:
    facts = order(
        category="roof_leak", description="家里屋顶漏水", caller_flags=frozenset({"assisted"})
    )
    decision = route(demo(), facts)
    assert decision.lead_team == "jindi-property"
    assert decision.priority == "P2"
    assert decision.tags == ("assisted_resident",)
    assert decision.matched[0] == "assisted-caller-first: caller is assisted"


def test_noise_at_night_goes_to_police_and_by_day_to_grid_workers_else_the_office() -> None:
    noise = order(category="noise", description="楼上噪音很大")
    assert route(demo(), replace(noise, received_at=at(23, 30))).lead_team == "community-police"
    qingshui = replace(noise, community="qingshui", compound="yongan-north-lane")
    assert route(demo(), qingshui).lead_team == "grid-qingshui"
    assert route(demo(), noise).lead_team == "community-office"


def test_blocked_drain_told_in_words_is_joint_dispatch_unless_it_is_a_question() -> None:
    drain = order(category="other", description="永安北巷下水道堵了，汛期快到了")
    drain = replace(drain, community="qingshui", compound="yongan-north-lane")
    decision = route(demo(), drain)
    assert decision.rule_id == "drain-words"
    assert decision.lead_team == "water-company"
    assert decision.matched == (
        "description mentions 下水道、堵",
        "description does not mention 咨询",
    )
    question = replace(drain, description="咨询一下下水道堵了找谁")
    assert route(demo(), question).to_triage


def test_request_no_rule_knows_goes_to_triage() -> None:
    facts = order(category="other", description="想咨询一下社区活动时间", compound=None)
    decision = route(demo(), facts)
    assert decision.to_triage
    assert decision.rule_id is None and decision.lead_team is None
    assert decision.matched == () and decision.assist_teams == ()


# First match wins.

TWO_FOR_FIRE_LANE = """
- id: first
  name: 第一条
  when: {category: [fire_lane]}
  then: {assign: team-a}
- id: second
  name: 第二条
  when: {category: [fire_lane]}
  then: {assign: team-b}
"""


def test_first_matching_rule_in_file_order_wins() -> None:
    decision = route(rules(TWO_FOR_FIRE_LANE), FIRE_LANE)
    assert (decision.rule_id, decision.rule_name, decision.lead_team) == (
        "first",
        "第一条",
        "team-a",
    )


def test_disabled_rule_is_passed_over() -> None:
    body = TWO_FOR_FIRE_LANE.replace("name: 第一条", "name: 第一条\n  enabled: false")
    ruleset = rules(body)
    assert len(ruleset) == 1
    assert route(ruleset, FIRE_LANE).lead_team == "team-b"


def test_rule_without_conditions_takes_whatever_is_left() -> None:
    ruleset = rules(
        TWO_FOR_FIRE_LANE + "- id: rest\n  name: 其余\n  then: {assign: governance-centre}\n"
    )
    assert route(ruleset, order(category="noise")).lead_team == "governance-centre"


# Each kind of condition.

CONDITIONS = [
    ("category: [fire_lane, noise]", {}, {"category": "roof_leak"}),
    ("community: [jindi]", {}, {"community": "anyi"}),
    ("compound: [jindi-garden]", {}, {"compound": None}),
    ("channel: [sms, web]", {"channel": "web"}, {}),
    ("channel: [12345]", {"channel": "12345"}, {"channel": "phone"}),
    ("priority: [P1, P2]", {"priority": "P2"}, {"priority": None}),
    ("priority: [P1]", {"priority": "P1"}, {"priority": "P3"}),
    (
        "caller_flags_any: [assisted, elderly_alone]",
        {"caller_flags": frozenset({"elderly_alone", "repeat_caller"})},
        {"caller_flags": frozenset({"repeat_caller"})},
    ),
    ("keywords_any: [井盖, 电动车]", {}, {"description": "楼道里堆满杂物"}),
    ("keywords_all: [电动车, 消防通道]", {}, {"description": "电动车停在楼下"}),
    ("not_keywords: [咨询]", {}, {"description": "咨询一下消防通道能不能停电动车"}),
    ('time_of_day: {from: "08:00", to: "18:00"}', {}, {"received_at": at(18, 0)}),
]


@pytest.mark.parametrize(("condition", "holds", "fails"), CONDITIONS)
def test_a_rule_matches_only_when_its_condition_holds(
    condition: str, holds: dict[str, object], fails: dict[str, object]
) -> None:
    ruleset = rules(f"- id: r\n  name: 规则\n  when: {{{condition}}}\n  then: {{assign: t}}\n")
    assert route(ruleset, order(**holds)).lead_team == "t"
    assert route(ruleset, order(**fails)).to_triage


def test_every_condition_of_a_rule_must_hold_together() -> None:
    ruleset = rules("""
        - id: night-12345-jindi
          name: 夜间12345金地
          when:
            category: [fire_lane]
            compound: [jindi-garden]
            channel: [12345]
            time_of_day: {from: "22:00", to: "06:00"}
            keywords_any: [电动车]
          then: {assign: t}
        """)
    night = order(channel="12345", received_at=at(23))
    decision = route(ruleset, night)
    assert decision.lead_team == "t"
    assert decision.matched == (
        "category in [fire_lane]",
        "compound = jindi-garden",
        "channel = 12345",
        "received 22:00-06:00 local time",
        "description mentions 电动车",
    )
    assert route(ruleset, replace(night, channel="phone")).to_triage
    assert route(ruleset, replace(night, received_at=at(12))).to_triage
    assert route(ruleset, replace(night, compound="anyi-home")).to_triage


# Time of day.

NIGHT = """
- id: night
  name: 夜间
  when: {time_of_day: {from: "22:00", to: "06:00"}}
  then: {assign: night-team}
"""


@pytest.mark.parametrize(
    ("clock", "inside"),
    [
        (time(22, 0), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(5, 59), True),
        (time(6, 0), False),
        (time(12, 0), False),
        (time(21, 59), False),
    ],
)
def test_night_window_wraps_past_midnight(clock: time, inside: bool) -> None:
    facts = order(received_at=at(clock.hour, clock.minute))
    assert (route(rules(NIGHT), facts).lead_team == "night-team") is inside


def test_time_of_day_is_read_on_the_rule_sets_clock_not_the_servers() -> None:
    received = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert route(rules(NIGHT), order(received_at=received)).lead_team == "night-team"
    assert route(rules(NIGHT, timezone="UTC"), order(received_at=received)).to_triage


# Teams by kind, joint dispatch.

BY_KIND = """
- id: property
  name: 派物业
  when: {category: [fire_lane]}
  then: {assign: {kind: property}, assist: [{kind: grid}, {kind: property}, legal-aid]}
- id: fallback
  name: 无物业派综治中心
  when: {category: [fire_lane]}
  then: {assign: governance-centre}
"""


def test_team_of_a_kind_is_the_one_covering_the_orders_compound() -> None:
    decision = route(rules(BY_KIND), FIRE_LANE)
    assert decision.lead_team == "jindi-property"
    assert decision.assist_teams == ("legal-aid",)  # no grid team here; the lead once only


def test_assist_by_kind_joins_where_a_team_covers_the_place() -> None:
    decision = route(rules(BY_KIND), order(community="qingshui", compound="taihe-road"))
    assert decision.lead_team == "governance-centre"
    qingshui_property = Places(
        {("property", "taihe-road"): "taihe-property", ("grid", "qingshui"): "grid-qs"}
    )
    decision = rules(BY_KIND).route(
        order(community="qingshui", compound="taihe-road"), qingshui_property
    )
    assert decision.lead_team == "taihe-property"
    assert decision.assist_teams == ("grid-qs", "legal-aid")


def test_kind_with_no_team_covering_the_place_lets_the_next_rule_decide() -> None:
    decision = route(rules(BY_KIND), order(community="xiyuan", compound="xiyuan-dorms"))
    assert decision.rule_id == "fallback"
    assert decision.lead_team == "governance-centre"
    assert decision.matched == ("category in [fire_lane]",)  # nothing of the skipped rule


# `continue` rules.

ASSISTED_FIRST = """
- id: assisted
  name: 帮扶对象优先
  continue: true
  when: {caller_flags_any: [assisted]}
  then: {raise_priority_to: P2, tags: [assisted_resident]}
- id: repeat
  name: 重复来电
  continue: true
  when: {caller_flags_any: [repeat_caller]}
  then: {tags: [repeat]}
- id: leak
  name: 漏水派物业
  when: {category: [roof_leak]}
  then: {assign: {kind: property}, priority: P3, tags: [leak]}
- id: fire-lane
  name: 消防通道派物业
  when: {category: [fire_lane]}
  then: {assign: {kind: property}}
"""


def test_continue_rules_add_priority_and_tags_and_the_next_rule_decides_the_team() -> None:
    facts = order(caller_flags=frozenset({"assisted", "repeat_caller"}))
    decision = route(rules(ASSISTED_FIRST), facts)
    assert decision.rule_id == "fire-lane"
    assert decision.lead_team == "jindi-property"
    assert decision.priority == "P2"
    assert decision.tags == ("assisted_resident", "repeat")
    assert decision.matched == (
        "assisted: caller is assisted",
        "repeat: caller is repeat_caller",
        "category in [fire_lane]",
    )


def test_raising_priority_is_a_floor_under_what_a_later_rule_sets() -> None:
    leak = order(category="roof_leak", caller_flags=frozenset({"assisted"}))
    assert route(rules(ASSISTED_FIRST), leak).priority == "P2"
    assert route(rules(ASSISTED_FIRST), replace(leak, caller_flags=frozenset())).priority == "P3"


def test_raising_priority_never_lowers_what_the_operator_chose() -> None:
    urgent = order(priority="P1", caller_flags=frozenset({"assisted"}))
    assert route(rules(ASSISTED_FIRST), urgent).priority == "P1"
    assert route(rules(ASSISTED_FIRST), replace(urgent, caller_flags=frozenset())).priority is None


def test_continue_rule_alone_leaves_the_order_to_triage_with_what_it_added() -> None:
    facts = order(category="other", caller_flags=frozenset({"assisted"}))
    decision = route(rules(ASSISTED_FIRST), facts)
    assert decision.to_triage and decision.rule_id is None
    assert decision.priority == "P2"
    assert decision.tags == ("assisted_resident",)
    assert decision.matched == ("assisted: caller is assisted",)


def test_continue_rule_whose_words_occur_twice_is_applied_once() -> None:
    ruleset = rules("""
        - id: hazard
          name: 安全隐患
          continue: true
          when: {keywords_any: [电动车, 消防通道]}
          then: {tags: [safety_hazard]}
        - id: fire-lane
          name: 消防通道派物业
          when: {category: [fire_lane]}
          then: {assign: {kind: property}}
        """)
    decision = route(ruleset, FIRE_LANE)
    assert decision.matched == (
        "hazard: description mentions 电动车、消防通道",
        "category in [fire_lane]",
    )


# Keywords on short Chinese descriptions.


def keyword_rule(*words: str) -> RuleSet:
    listed = ", ".join(words)
    return rules(
        f"- id: k\n  name: 关键词\n  when: {{keywords_any: [{listed}]}}\n  then: {{assign: t}}\n"
    )


def test_fire_lane_and_ebike_are_found_in_one_run_on_description() -> None:
    ruleset = rules("""
        - id: k
          name: 电动车堵消防通道
          when: {keywords_all: [消防通道, 电动车]}
          then: {assign: t}
        """)
    decision = route(ruleset, order(category="other"))
    assert decision.matched == ("description mentions 消防通道、电动车",)


@pytest.mark.parametrize(
    ("keyword", "description"),
    [
        ("排水", "安排水管工明天来修"),  # 安排|水管工
        ("打架", "楼上打架子鼓太吵了"),  # 打|架子鼓
        ("路灯", "一路灯火通明"),  # 一路|灯火通明
    ],
)
def test_a_keyword_straddling_a_word_boundary_is_not_found(keyword: str, description: str) -> None:
    assert route(keyword_rule(keyword), order(description=description)).to_triage


@pytest.mark.parametrize(
    ("keyword", "description"),
    [
        ("堵", "电动车堵住了消防通道"),  # one character, inside 堵住
        ("骚扰", "她说受到性骚扰"),  # inside 性骚扰
        ("电动车堵住", "电动车堵住了消防通道"),  # a run of whole words
        ("金地花园", "金地花园D区8号楼"),  # 金 + 地 + 花园
        ("路灯", "小区路灯不亮"),  # a desk word: not 路 + 灯不亮
        ("wifi", "小区ＷｉＦｉ断了"),  # case and full width ignored
        ("８号楼", "D区8号楼"),
    ],
)
def test_a_keyword_is_found_inside_a_word_or_as_whole_words(keyword: str, description: str) -> None:
    assert route(keyword_rule(keyword), order(description=description)).lead_team == "t"


def test_description_is_segmented_once_and_only_when_a_keyword_occurs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cuts: list[str] = []
    real = keywords.jieba.lcut

    def counting(text: str) -> list[str]:
        cuts.append(text)
        return list(real(text))

    monkeypatch.setattr(keywords.jieba, "lcut", counting)
    ruleset = rules("""
        - id: a
          name: 甲
          when: {keywords_all: [电动车, 井盖]}
          then: {assign: t}
        - id: b
          name: 乙
          when: {keywords_any: [消防通道, 楼道]}
          then: {assign: t}
        """)
    assert route(ruleset, FIRE_LANE).rule_id == "b"
    assert len(cuts) == 1
    assert route(ruleset, order(description="楼上噪音很大")).to_triage
    assert route(rules(TWO_FOR_FIRE_LANE), FIRE_LANE).rule_id == "first"
    assert len(cuts) == 1


# The index must never change the answer.


def test_indexed_routing_agrees_with_trying_every_rule_in_turn() -> None:
    rng = random.Random(7)
    categories = ["fire_lane", "noise", "roof_leak", "other"]
    compounds = ["jindi-garden", "anyi-home", "taihe-road"]
    words = ["电动车", "消防通道", "井盖", "噪音", "漏水", "堵"]

    def some(values: list[str]) -> str:
        return ", ".join(rng.sample(values, rng.randint(1, 2)))

    def window() -> str:
        start, end = (f"{m // 60:02d}:{m % 60:02d}" for m in rng.sample(range(0, 1440, 15), 2))
        return f'{{from: "{start}", to: "{end}"}}'

    conditions = {
        "category": lambda: f"[{some(categories)}]",
        "compound": lambda: f"[{some(compounds)}]",
        "community": lambda: f"[{some(['jindi', 'anyi'])}]",
        "keywords_any": lambda: f"[{some(words)}]",
        "keywords_all": lambda: f"[{some(words)}]",
        "not_keywords": lambda: f"[{rng.choice(words)}]",
        "channel": lambda: f"[{some(['phone', 'web', '12345'])}]",
        "priority": lambda: f"[{some(['P1', 'P2', 'P3'])}]",
        "caller_flags_any": lambda: f"[{some(['assisted', 'repeat_caller'])}]",
        "time_of_day": window,
    }
    lines = []
    for i in range(150):
        names = rng.sample(list(conditions), rng.choice([2, 3, 3]))
        when = ", ".join(f"{name}: {conditions[name]()}" for name in names)
        lines.append(f"- id: r{i}\n  name: 规则{i}\n  when: {{{when}}}\n  then: {{assign: t{i}}}\n")
    lines.append("- id: rest\n  name: 其余\n  then: {assign: rest}\n")
    whole = rules("".join(lines))
    singles = [rules(line) for line in lines]
    reached: set[str] = set()
    for _ in range(200):
        compound = rng.choice([*compounds, None])
        facts = order(
            category=rng.choice(categories),
            compound=compound,
            community={"jindi-garden": "jindi", "anyi-home": "anyi"}.get(compound or ""),
            channel=rng.choice(["phone", "web", "12345"]),
            priority=rng.choice([None, "P1", "P2", "P3"]),
            caller_flags=frozenset(rng.sample(["assisted", "repeat_caller", "ill"], 1)),
            received_at=at(rng.randrange(24), rng.randrange(60)),
            description="".join(rng.sample(words, 3)),
        )
        one_by_one = (route(single, facts).lead_team for single in singles)
        expected = next(t for t in one_by_one if t)
        assert route(whole, facts).lead_team == expected
        reached.add(expected)
    assert len(reached) >= 15  # many rules decided, not just the first few
