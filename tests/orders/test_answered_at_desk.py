"""直接答复: many calls need an answer, not a team (when the water is back, which papers an
insurance claim takes). The operator answers in the call and the order is done: resolved with
the answer and closed, with no team sent, no callback and no text asking for a rating."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import leader, operator, supervisor

QUESTION = {
    "category": "other",
    "description": "咨询住院医保报销需要带哪些材料",
    "address": {"community": "jindi"},
}
ANSWER = "已告知需携带身份证、医保卡、出院小结和费用清单，到社区服务中心二号窗口办理"


def test_operator_answers_a_question_in_the_call_and_the_order_is_closed_at_once(
    client: TestClient,
) -> None:
    desk = operator(client)
    order = desk.create_order(**QUESTION, answered_at_desk=ANSWER)
    assert order["status"] == "closed"
    assert order["result"] == ANSWER
    assert "answered_at_desk" in order["tags"]
    assert order["assignments"] == []
    assert order["routing"]["rule_id"] is None  # not routed: nobody is sent
    assert order["merge_suggestions"] == []

    timeline = desk.get(f"/api/v1/orders/{order['number']}/timeline").json()["data"]
    assert [e["kind"] for e in timeline] == ["received", "resolved", "closed"]
    assert timeline[1]["data"]["answered_at_desk"] is True
    assert timeline[1]["actor"] == timeline[2]["actor"]  # the operator who took the call
    # Nothing waits for a callback (待回访 lists resolved orders).
    waiting = desk.get("/api/v1/orders", params={"status": "resolved"}).json()
    assert order["number"] not in [o["number"] for o in waiting["data"]]


def test_a_question_waiting_in_triage_is_answered_by_ringing_back(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order(**QUESTION)["number"]
    answered = desk.act(number, "answer", {"answer": ANSWER})
    assert answered.status_code == 200, answered.text
    assert (answered.json()["status"], answered.json()["result"]) == ("closed", ANSWER)
    # A supervisor may still reopen it (重办) if the answer was wrong: it goes back to triage.
    reopened = supervisor(client).act(number, "reopen", {"reason": "居民来电说窗口地址不对"})
    assert reopened.json()["status"] == "triage"


def test_an_order_a_team_already_has_is_not_answered_at_the_desk(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]  # the fire lane: dispatched to 金地物业
    refused = desk.act(number, "answer", {"answer": "已答复"})
    assert refused.status_code == 409
    body = refused.json()["error"]
    assert body["current_status"] == "dispatched"
    assert "answer" not in body["allowed_actions"]
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["status"] == "dispatched"


def test_a_team_cannot_answer_for_the_desk_and_an_empty_answer_stores_nothing(
    client: TestClient,
) -> None:
    desk = operator(client)
    number = desk.create_order(**QUESTION)["number"]
    assert leader(client).act(number, "answer", {"answer": ANSWER}).status_code == 403
    empty = desk.act(number, "answer", {"answer": ""})
    assert (empty.status_code, empty.json()["error"]["field"]) == (422, "answer")
    blank = desk.post("/api/v1/orders", json={**QUESTION, "answered_at_desk": ""})
    assert blank.status_code == 422
    listed = supervisor(client).get("/api/v1/orders").json()
    assert listed["count"] == 1
    assert listed["data"][0]["status"] == "triage"
