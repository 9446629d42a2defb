"""知识库: operators find the standard answer while the caller is on the line; supervisors
keep the answers current, and every operator gets the new text at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import Settings
from tests.builders.desk import Person, leader, operator, supervisor

KNOWLEDGE = "/api/v1/knowledge"


def _found(person: Person, **params: Any) -> list[dict[str, Any]]:
    response = person.get(KNOWLEDGE, params=params)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _titles(person: Person, **params: Any) -> list[str]:
    return [k["title"] for k in _found(person, **params)]


def _entry(person: Person, title: str) -> dict[str, Any]:
    (entry,) = [k for k in _found(person, limit=500) if k["title"] == title]
    return entry


def _admin_log(client: TestClient, target: str) -> list[tuple[str, str, dict[str, Any]]]:
    rows = Person(client, "admin").get("/api/v1/admin-log", params={"target": target}).json()
    return [(r["action"], r["actor"], r["data"]) for r in reversed(rows["data"])]


def test_operator_finds_the_standard_answer_about_medical_insurance_while_typing(
    client: TestClient,
) -> None:
    desk = operator(client)
    found = _found(desk, q="我想问问住院了医保报销要带什么材料", limit=3)
    assert found[0]["title"] == "医保报销材料"
    assert "身份证" in found[0]["answer"]
    assert {"医保", "报销", "住院"} <= set(found[0]["matched"])
    assert len(found) <= 3
    assert [k["score"] for k in found] == sorted((k["score"] for k in found), reverse=True)
    # The way callers put it, not the title's words: the keywords find it.
    assert _titles(desk, q="家里突然没水了，什么时候来水", limit=1) == ["停水咨询"]
    assert _titles(desk, q="银啤苑14号楼的房产证到底什么时候能办下来", limit=1) == [
        "不动产权证办理进度"
    ]


def test_the_category_the_operator_chose_decides_between_answers_the_words_fit_alike(
    client: TestClient,
) -> None:
    desk = operator(client)
    question = "接到医保诈骗电话"  # 医保 for the claim, 诈骗 for the fraud: one word each
    assert set(_titles(desk, q=question)) == {"医保报销材料", "防范电信诈骗"}
    assert _titles(desk, q=question, category="fraud_alert")[0] == "防范电信诈骗"
    assert _titles(desk, q=question, category="medical_insurance")[0] == "医保报销材料"
    # More of the words than the other: the category does not overturn that.
    assert _titles(desk, q="说我医保卡异常，让我转账", category="medical_insurance")[0] == (
        "防范电信诈骗"
    )


def test_with_nothing_typed_a_category_lists_its_answers_and_a_question_without_one_none(
    client: TestClient,
) -> None:
    desk = operator(client)
    assert _titles(desk, category="elder_care") == ["独居老人结对关爱", "老年食堂开放时间"]
    assert _titles(desk, q="小区门口有一只流浪狗") == []
    assert len(_titles(desk)) == 10  # the demo's whole shelf, by category and title


def test_teams_do_not_read_the_knowledge_base_and_operators_do_not_edit_it(
    client: TestClient,
) -> None:
    assert leader(client).get(KNOWLEDGE, params={"q": "医保"}).status_code == 403
    desk = operator(client)
    entry = _entry(desk, "停水咨询")
    refused = desk.post(KNOWLEDGE, json={"title": "燃气报修", "answer": "拨打燃气公司电话"})
    assert refused.status_code == 403
    assert desk.patch(f"{KNOWLEDGE}/{entry['id']}", {"active": False}).status_code == 403
    assert _entry(desk, "停水咨询") == entry


def test_supervisor_adds_an_answer_about_gas_and_the_next_search_finds_it(
    client: TestClient,
) -> None:
    desk, boss = operator(client), supervisor(client)
    assert _titles(desk, q="厨房燃气漏气了") == []  # the shelf is read and kept
    added = boss.post(
        KNOWLEDGE,
        json={
            "title": " 燃气泄漏怎么办 ",
            "answer": "立即关闭燃气总阀，打开门窗，不要开关电器，到室外拨打燃气公司抢修电话。",
            "category": "power_gas_heating",
            "keywords": ["燃气", "煤气", " 漏气 ", "煤气", "天然气"],
        },
    )
    assert added.status_code == 201, added.text
    entry = added.json()
    assert entry["title"] == "燃气泄漏怎么办"
    assert entry["keywords"] == ["燃气", "煤气", "漏气", "天然气"]  # each once, trimmed
    assert (entry["updated_by"], entry["active"]) == ("supervisor.zhang", True)
    assert _titles(desk, q="厨房燃气漏气了") == ["燃气泄漏怎么办"]
    assert _admin_log(client, f"knowledge/{entry['id']}") == [
        (
            "knowledge_added",
            "supervisor.zhang",
            {"title": "燃气泄漏怎么办", "category": "power_gas_heating"},
        )
    ]


def test_supervisor_updates_the_water_outage_answer_and_operators_read_the_new_one_at_once(
    client: TestClient, clock: FrozenClock
) -> None:
    desk, boss = operator(client), supervisor(client)
    water = _entry(desk, "停水咨询")
    assert _found(desk, q="停水了")[0]["answer"] == water["answer"]
    clock.advance(timedelta(minutes=5))
    new_answer = "黄河东路主管道抢修，今晚20:00前恢复供水；高层住户来水稍晚。"
    changed = boss.patch(
        f"{KNOWLEDGE}/{water['id']}", {"answer": new_answer, "keywords": ["停水", "抢修"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["updated_by"] == "supervisor.zhang"
    assert changed.json()["updated_at"].startswith("2026-11-22T02:35")
    first = _found(desk, q="停水了")[0]
    assert (first["answer"], first["keywords"]) == (new_answer, ["停水", "抢修"])
    assert first["title"] == "停水咨询"  # what was not sent stays
    assert _admin_log(client, f"knowledge/{water['id']}") == [
        (
            "knowledge_changed",
            "supervisor.zhang",
            {"answer": "changed", "keywords": ["停水", "抢修"]},
        )
    ]


def test_a_retired_answer_is_no_longer_suggested_but_kept_and_can_be_brought_back(
    client: TestClient,
) -> None:
    desk, boss = operator(client), supervisor(client)
    canteen = _entry(desk, "老年食堂开放时间")
    question = "老年食堂几点开门"
    assert _titles(desk, q=question) == ["老年食堂开放时间"]
    assert boss.patch(f"{KNOWLEDGE}/{canteen['id']}", {"active": False}).status_code == 200
    assert _titles(desk, q=question) == []
    assert _titles(desk, q=question, active="false") == ["老年食堂开放时间"]
    assert boss.patch(f"{KNOWLEDGE}/{canteen['id']}", {"active": True}).status_code == 200
    assert _titles(desk, q=question) == ["老年食堂开放时间"]
    assert _titles(desk, active="false") == []


def test_bad_input_is_refused_naming_the_field_and_nothing_stored_changes(
    client: TestClient,
) -> None:
    desk, boss = operator(client), supervisor(client)
    before = _found(desk, limit=500)
    legal_aid = _entry(desk, "法律援助怎么申请")
    refusals = [
        (
            boss.post(KNOWLEDGE, json={"title": "养犬登记", "answer": "…", "category": "dogs"}),
            "category",
        ),
        (boss.post(KNOWLEDGE, json={"title": "   ", "answer": "到派出所登记"}), "title"),
        (boss.post(KNOWLEDGE, json={"title": "养犬登记", "answer": "…", "owner": "x"}), "owner"),
        (
            boss.patch(f"{KNOWLEDGE}/{legal_aid['id']}", {"answer": "新", "category": "dogs"}),
            "category",
        ),
        (boss.patch(f"{KNOWLEDGE}/{legal_aid['id']}", {"keywords": ["律师", " "]}), "keywords.1"),
        (desk.get(KNOWLEDGE, params={"q": "养狗", "category": "dogs"}), "category"),
    ]
    for response, field in refusals:
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field
    assert "dogs" in refusals[0][0].json()["error"]["message"]
    missing = boss.patch(f"{KNOWLEDGE}/99999", {"active": False})
    assert missing.status_code == 404
    assert _found(desk, limit=500) == before


def test_an_answer_changed_on_one_api_instance_is_read_on_another_at_its_next_search(
    client: TestClient, settings: Settings, clock: FrozenClock
) -> None:
    """Each instance keeps its own copy of the shelf: the next search anywhere sees a change."""
    other_db = Database(settings.database_url)
    try:
        with TestClient(create_app(settings, clock=clock, database=other_db)) as other:
            elsewhere = operator(other)
            fraud = _entry(elsewhere, "防范电信诈骗")
            assert _titles(elsewhere, q="冒充快递客服要我转账") == ["防范电信诈骗"]
            changed = supervisor(client).patch(
                f"{KNOWLEDGE}/{fraud['id']}", {"title": "防范冒充客服诈骗"}
            )
            assert changed.status_code == 200
            assert _titles(elsewhere, q="冒充快递客服要我转账") == ["防范冒充客服诈骗"]
    finally:
        other_db.dispose()
