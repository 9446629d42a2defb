"""Routing latency with 10,000 rules, against the demo rules file as the baseline.

Builds a realistic 10,000-rule file (most rules keyed by category and/or compound, some by
keywords only, a few by channel/time only, catch-alls at the end), loads it like the server
does (validated against config/), routes 20,000 random orders through it and through
config/rules.yaml, and prints per-order routing latency. Target: p99 < 1 ms for 10,000 rules.

    .venv/bin/python bench/bench_routing.py [--rules 10000] [--orders 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from report import record  # bench/report.py: figures for bench/results.md

from dispatch.routing.engine import OrderFacts, RuleSet
from dispatch.routing.loader import load_rules, parse_rules, vocabulary_from_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
CHANNELS = ["phone", "sms", "12345", "web", "patrol", "open311"]
PRIORITIES = ["P1", "P2", "P3", "P4"]
FLAGS = ["assisted", "elderly_alone", "disabled", "ill", "repeat_caller"]
SLAS = ["emergency", "urgent", "utility", "general", "complex", "safety_hazard"]


# Words callers use; rules pick their keywords among SUBJECTS and PROBLEMS, descriptions mix
# them with words no rule names (so some orders fall through to the catch-alls).
def _words(text: str) -> list[str]:
    return text.split()


SUBJECTS = _words(
    "电动车 消防通道 井盖 窨井盖 下水道 化粪池 充电桩 路灯 楼道 电梯 屋顶 水管 暖气 燃气 "
    "自来水 垃圾 污水 排水沟 车库 外墙 窗户 广场舞 装修 烧烤 油烟 树枝 围墙 监控 门禁 "
    "房产证 医保 保险 老人 邻居 楼上 物业费 停车位 快递柜"
)
PROBLEMS = _words(
    "堵住了 堵塞 坏了 破损 漏水 不亮 停水 停电 不热 泄漏 噪音很大 乱停 占用 外溢 倒塌 起火 "
    "没人管 骚扰 威胁 打架 诈骗 没办下来 理赔难 需要照顾 乱收费 异味 掉下来 松动"
)
PLAIN_SUBJECTS = _words("家门口 小区里 单元门 院子 东边 楼下 这边 隔壁")
PLAIN_PROBLEMS = _words("有问题 不对劲 一直这样 想反映一下 需要处理 没解决")
FILLERS = ["", "，已经好几天了", "，请尽快处理", "，学校快放学了", "，晚上特别吵", "，很危险"]
BUILDINGS = ["", "B区3号楼", "D区8号楼", "14号楼", "E区1号楼", "2单元"]


def load_world() -> tuple[list[str], dict[str, str], list[dict[str, object]]]:
    world = yaml.safe_load((CONFIG / "world.yaml").read_text(encoding="utf-8"))
    teams = yaml.safe_load((CONFIG / "teams.yaml").read_text(encoding="utf-8"))["teams"]
    categories = [c["code"] for c in world["categories"]]
    compound_community = {
        x["code"]: c["code"] for c in world["communities"] for x in c.get("compounds", [])
    }
    return categories, compound_community, teams


class Coverage:
    """teams.yaml coverage: compound, then community, then subdistrict-wide."""

    def __init__(self, teams: list[dict[str, object]], compound_community: dict[str, str]):
        self.compound_community = compound_community
        self.places: dict[tuple[str, str], str] = {}
        for team in teams:
            kind, code = str(team["kind"]), str(team["code"])
            coverage = team.get("coverage") or {}
            assert isinstance(coverage, dict)
            places = [*coverage.get("compounds", []), *coverage.get("communities", [])]
            for place in places or ["*"]:
                self.places.setdefault((kind, place), code)

    def team_for(self, kind: str, community: str | None, compound: str | None) -> str | None:
        community = community or self.compound_community.get(compound or "")
        for place in (compound, community, "*"):
            if place and (kind, place) in self.places:
                return self.places[(kind, place)]
        return None


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def big_rules_file(n: int, rng: random.Random) -> str:
    categories, compound_community, teams = load_world()
    compounds = list(compound_community)
    communities = sorted(set(compound_community.values()))
    team_codes = [str(t["code"]) for t in teams]
    kinds = sorted({str(t["kind"]) for t in teams})

    def extras(k: int, taken: str = "") -> list[str]:
        """k narrowing conditions (each holds for about one order in six or fewer)."""
        start = rng.randrange(24)
        end = (start + rng.randint(1, 4)) % 24
        pool = [
            f"channel: [{rng.choice(CHANNELS)}]",
            f"priority: [{rng.choice(PRIORITIES)}]",
            f"caller_flags_any: [{rng.choice(FLAGS)}]",
            f"keywords_any: {flow(rng.sample(SUBJECTS + PROBLEMS, rng.randint(1, 2)))}",
            f'time_of_day: {{from: "{start:02d}:00", to: "{end:02d}:00"}}',
        ]
        chosen = rng.sample([c for c in pool if c.split(":")[0] not in taken], k)
        if rng.random() < 0.1:
            chosen.append(f"not_keywords: {flow(rng.sample(PROBLEMS, 2))}")
        return chosen

    def then() -> str:
        assign = rng.choice(team_codes) if rng.random() < 0.6 else f"{{kind: {rng.choice(kinds)}}}"
        parts = [f"assign: {assign}", f"sla: {rng.choice(SLAS)}"]
        if rng.random() < 0.2:
            parts.append(f"assist: [{rng.choice(team_codes)}, {{kind: {rng.choice(kinds)}}}]")
        if rng.random() < 0.3:
            parts.append(f"priority: {rng.choice(PRIORITIES)}")
        return "{" + ", ".join(parts) + "}"

    def when() -> list[str]:
        roll = rng.random()
        if roll < 0.45:  # category and compound, narrowed
            categories_ = flow(rng.sample(categories, rng.randint(1, 2)))
            compound = flow(rng.sample(compounds, 1))
            return [f"category: {categories_}", f"compound: {compound}", *extras(2)]
        if roll < 0.70:  # category only, narrowed
            return [f"category: {flow(rng.sample(categories, 1))}", *extras(3)]
        if roll < 0.80:  # one compound or community, narrowed
            compound = f"compound: {flow(rng.sample(compounds, 1))}"
            community = f"community: {flow(rng.sample(communities, 1))}"
            return [rng.choice([compound, community]), *extras(3)]
        if roll < 0.95:  # keywords only: two words together, and a condition
            words = flow(rng.sample(SUBJECTS, 1) + rng.sample(PROBLEMS, 1))
            return [f"keywords_all: {words}", *extras(1, taken="keywords_any")]
        return extras(3, taken="keywords_any")  # no category, place or word: always a candidate

    lines = ["version: 1", "timezone: Asia/Shanghai", "rules:"]
    for i in range(n - len(categories) - 1):
        conditions = ", ".join(when())
        if rng.random() < 0.01:  # a few `continue` rules adding priority and tags
            then_ = f"{{raise_priority_to: P2, tags: [t{i}]}}"
            head = f"id: r{i}, name: 规则{i}, continue: true"
        else:
            then_, head = then(), f"id: r{i}, name: 规则{i}"
        lines.append(f"  - {{{head}, when: {{{conditions}}}, then: {then_}}}")
    for cat in categories:  # catch-alls at the end
        lines.append(
            f"  - {{id: all-{cat}, name: 兜底{cat}, when: {{category: [{cat}]}}, then: {then()}}}"
        )
    lines.append("  - {id: all, name: 全部兜底, then: {assign: governance-centre}}")
    return "\n".join(lines) + "\n"


def random_orders(n: int, rng: random.Random) -> list[OrderFacts]:
    categories, compound_community, _teams = load_world()
    compounds = list(compound_community)
    start = datetime(2026, 11, 22, tzinfo=ZoneInfo("Asia/Shanghai"))
    orders = []
    for _ in range(n):
        compound = rng.choice(compounds) if rng.random() < 0.9 else None
        subject = rng.choice(SUBJECTS if rng.random() < 0.5 else PLAIN_SUBJECTS)
        problem = rng.choice(PROBLEMS if rng.random() < 0.5 else PLAIN_PROBLEMS)
        description = rng.choice(BUILDINGS) + subject + problem + rng.choice(FILLERS)
        orders.append(
            OrderFacts(
                category=rng.choice(categories),
                description=description,
                channel=rng.choice(CHANNELS),
                priority=rng.choice([None, None, *PRIORITIES]),
                community=compound_community.get(compound or ""),
                compound=compound,
                building=None,
                caller_flags=frozenset(rng.sample(FLAGS, 1)) if rng.random() < 0.1 else frozenset(),
                received_at=start + timedelta(minutes=rng.randrange(24 * 60)),
            )
        )
    return orders


def measure(
    ruleset: RuleSet, orders: list[OrderFacts], coverage: Coverage
) -> tuple[list[float], Counter[str]]:
    for facts in orders[:1000]:  # warm-up
        ruleset.route(facts, coverage)
    timings: list[float] = []
    outcomes: Counter[str] = Counter()
    clock = time.perf_counter_ns
    for facts in orders:
        started = clock()
        decision = ruleset.route(facts, coverage)
        timings.append((clock() - started) / 1e6)
        outcomes[_outcome(decision.rule_id)] += 1
    return timings, outcomes


def _outcome(rule_id: str | None) -> str:
    if rule_id is None:
        return "triage"
    return "catch-all" if rule_id.startswith("all") else "rule"


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return cuts[49], cuts[98], max(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    _categories, compound_community, teams = load_world()
    coverage = Coverage(teams, compound_community)
    vocabulary = vocabulary_from_config(CONFIG)

    text = big_rules_file(args.rules, rng)
    started = time.perf_counter()
    big = parse_rules(text, f"<{args.rules} generated rules>", vocabulary)
    load_s = time.perf_counter() - started
    demo = load_rules(CONFIG / "rules.yaml", vocabulary)
    orders = random_orders(args.orders, rng)

    big_t, big_out = measure(big, orders, coverage)
    demo_t, demo_out = measure(demo, orders, coverage)
    b50, b99, bmax = percentiles(big_t)
    d50, d99, dmax = percentiles(demo_t)

    print(f"routing {len(orders):,} random orders (Python {sys.version.split()[0]})")
    print(f"  {len(big):,} generated rules: loaded, validated and indexed in {load_s:.1f} s")
    print(
        f"    decided by a rule {big_out['rule']:,}, by a catch-all at the end "
        f"{big_out['catch-all']:,}, triage {big_out['triage']:,}"
    )
    print(f"  {len(demo)} demo rules (config/rules.yaml): triage {demo_out['triage']:,}")
    print(f"{'per-order latency (ms)':<34}{'p50':>9}{'p99':>9}{'max':>9}")
    print(f"{f'{len(big):,} rules':<34}{b50:>9.3f}{b99:>9.3f}{bmax:>9.3f}")
    print(f"{f'{len(demo)} demo rules (baseline)':<34}{d50:>9.3f}{d99:>9.3f}{dmax:>9.3f}")
    print(f"{'ratio':<34}{b50 / d50:>8.1f}x{b99 / d99:>8.1f}x{bmax / dmax:>8.1f}x")
    met = b99 < 1.0
    print(f"target p99 < 1 ms with {len(big):,} rules: {'met' if met else 'NOT met'}")
    record(
        "routing",
        f"routing p99 with {len(big):,} rules",
        b99,
        "ms",
        baseline=d99,
        baseline_label=f"{len(demo)} demo rules",
        target="< 1 ms",
        met=met,
    )
    record("routing", f"loading and indexing {len(big):,} rules", load_s, "s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
