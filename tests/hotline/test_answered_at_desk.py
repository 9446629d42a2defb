"""直接答复 and the hotline's channels: the resident who heard the answer in the call gets no
text asking to rate it, and a 12345 question answered at the desk reports the answer upstream."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.settings import Settings
from hotline.wiring import outbox_worker
from tests.builders.desk import leader, operator, supervisor
from tests.hotline.upstream_builders import (
    DRAIN_ORDER,
    Outside,
    police_platform,
    push,
    upstream_12345,
)
from tests.orders.test_answered_at_desk import ANSWER, QUESTION


def test_no_text_asks_the_caller_to_rate_an_answer_given_in_the_call(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream_12345(), police_platform()).transport()
    )
    operator(client).create_order(**QUESTION, answered_at_desk=ANSWER)
    # Beside it, a call a team resolved: that resident is asked.
    number = operator(client).create_order()["number"]
    team = leader(client, "jindi")
    assert team.act(number, "accept").status_code == 200
    assert team.act(number, "resolve", {"result": "车辆已移走"}).status_code == 200
    worker.drain()
    texts = supervisor(client).get("/api/v1/outbox", params={"destination": "sms"}).json()
    # Neither its number (受理短信) nor a survey: the answer was the whole of it.
    assert sorted((m["kind"], m["order_number"]) for m in texts["data"]) == [
        ("receipt", number),
        ("survey", number),
    ]


def test_a_12345_question_answered_at_the_desk_reports_the_answer_upstream(
    client: TestClient, db: Database, settings: Settings, clock: FrozenClock
) -> None:
    upstream = upstream_12345()
    worker = outbox_worker(
        db, settings, clock, transport=Outside(upstream, police_platform()).transport()
    )
    question = {
        **DRAIN_ORDER,
        "upstream_number": "12345-20261122-000777",
        "content": "咨询社区老年食堂的开放时间",
        "category": "其他",
        "address": {"text": "金地社区"},
    }
    pushed = push(client, question, clock.now())
    assert pushed.status_code in (200, 201), pushed.text
    number = pushed.json()["order_number"]
    answered = operator(client).act(number, "answer", {"answer": "每天11点至13点，17点至18点"})
    assert answered.status_code == 200, answered.text
    worker.drain()
    (resolved,) = [m for m in upstream.accepted if m["result_type"] == "resolved"]
    assert resolved["result"] == "每天11点至13点，17点至18点"
    assert resolved["upstream_number"] == "12345-20261122-000777"
