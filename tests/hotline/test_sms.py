"""Residents text the hotline; leaders text accept codes; answers to the survey close or reopen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from dispatch.auth.models import User
from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.orders.models import WorkOrder
from hotline.sms.service import REPLIES_PER_HOUR
from tests.builders.desk import leader, operator
from tests.hotline.lookups import events, order_count
from tests.hotline.twilio_builders import Sms

RESIDENT = "+8613812345678"


def answer(response: Any) -> str:
    assert response.status_code == 200, response.text
    root = ElementTree.fromstring(response.text)
    assert root.tag == "Response"
    message = root.find("Message")
    assert message is not None
    return message.text or ""


def test_a_text_becomes_a_work_order_and_the_resident_gets_its_number(
    client: TestClient, db: Database
) -> None:
    text = answer(Sms(client, "+8613812340001").send("永安北巷的下水道堵了，汛期快到了"))
    assert "工单号 WO-20261122-0001" in text
    order = operator(client).get("/api/v1/orders/WO-20261122-0001").json()
    assert order["channel"] == "sms"
    assert order["category"] == "drain_blocked"
    assert order["caller"]["phone"] == "+8613812340001"


def test_a_retried_webhook_gets_the_same_answer_and_no_second_order(
    client: TestClient, db: Database
) -> None:
    resident = Sms(client, "+8613812340002")
    first = answer(resident.send("泰和路井盖坏了，马上放学了", sid="SM" + "a" * 32))
    again = answer(resident.send("泰和路井盖坏了，马上放学了", sid="SM" + "a" * 32))
    assert first == again
    assert order_count(db) == 1


def test_a_second_text_while_the_order_is_open_is_added_to_it(
    client: TestClient, db: Database
) -> None:
    resident = Sms(client, "+8613812340003")
    answer(resident.send("安怡家园E区1号楼屋顶漏水"))
    text = answer(resident.send("补充：漏到三楼了，家里有老人"))
    assert "WO-20261122-0001" in text
    assert order_count(db) == 1
    (note,) = events(db, 1, "note_added")
    assert "漏到三楼了" in note.data["text"]


def test_an_unclear_text_gets_a_short_helpful_answer(client: TestClient, db: Database) -> None:
    text = answer(Sms(client, "+8613812340004").send("你好"))
    assert "110" in text and "短信" in text
    assert order_count(db) == 0


def _resolved_order(client: TestClient) -> str:
    created = operator(client).create_order()  # the caller is RESIDENT, to jindi-property
    team = leader(client, "jindi")
    assert team.act(created["number"], "accept").status_code == 200
    resolved = team.act(created["number"], "resolve", {"result": "已清理消防通道"})
    assert resolved.status_code == 200, resolved.text
    return str(created["number"])


def test_satisfaction_3_by_text_reopens_the_order(client: TestClient) -> None:
    number = _resolved_order(client)
    text = answer(Sms(client, RESIDENT).send("3"))
    assert number in text and "重新" in text
    order = operator(client).get(f"/api/v1/orders/{number}").json()
    assert order["status"] == "accepted"
    assert order["satisfaction"] == "unsatisfied"


def test_satisfaction_1_by_text_closes_the_order(client: TestClient) -> None:
    number = _resolved_order(client)
    answer(Sms(client, RESIDENT).send("1"))
    order = operator(client).get(f"/api/v1/orders/{number}").json()
    assert (order["status"], order["satisfaction"]) == ("closed", "satisfied")


def test_a_team_leaders_accept_code_goes_to_the_escalation_seam(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    seen: list[tuple[str, str]] = []

    def accept_by_code(session: Session, code: str, phone: str, now: datetime) -> Any:
        seen.append((code, phone))
        return session.get(WorkOrder, 1) if code == "A7K2" else None

    client.app.state.accept_by_code = accept_by_code  # type: ignore[attr-defined]
    leader_phone = Sms(client, "+8613800000101")  # leader.jindi
    assert number in answer(leader_phone.send("A7K2"))
    assert "签收码" in answer(leader_phone.send("ZZZZ"))
    assert seen == [("A7K2", "+8613800000101"), ("ZZZZ", "+8613800000101")]
    assert order_count(db) == 1  # a leader's text is never a resident's request


def test_a_team_leader_accepts_by_texting_the_code_from_the_dispatch_message(
    client: TestClient, db: Database, clock: FrozenClock
) -> None:
    from escalation.codes.service import issue_code

    number = operator(client).create_order()["number"]
    with db.session(write=True) as session:
        order = session.exec(select(WorkOrder).where(WorkOrder.number == number)).one()
        user = session.exec(select(User).where(User.username == "leader.jindi")).one()
        code = issue_code(
            session,
            order=order,
            user=user,
            team_code="jindi-property",
            now=clock.now(),
            valid_for=timedelta(hours=1),
        )
    text = answer(Sms(client, "+8613800000101").send(code))
    assert number in text
    assert operator(client).get(f"/api/v1/orders/{number}").json()["status"] == "accepted"
    assert "无效" in answer(Sms(client, "+8613800000101").send("000000"))


def test_a_number_texting_in_a_flood_is_read_but_answered_only_so_often(
    client: TestClient, db: Database
) -> None:
    phone = Sms(client, "+8613812340099")
    first = answer(phone.send("永安北巷的下水道堵了，汛期快到了"))
    assert "工单号" in first
    for n in range(REPLIES_PER_HOUR - 1):
        assert answer(phone.send(f"补充说明第{n + 1}次：水已经漫到路面")) != ""
    unanswered = phone.send("补充说明：还是没人来", sid="SM" + "f" * 32)
    assert unanswered.status_code == 200
    assert ElementTree.fromstring(unanswered.text).find("Message") is None
    # Read and kept all the same: the note is on the order.
    (order,) = (
        operator(client).get("/api/v1/orders", params={"caller_phone": phone.sender}).json()["data"]
    )
    timeline = operator(client).get(f"/api/v1/orders/{order['number']}/timeline").json()["data"]
    assert timeline[-1]["data"]["text"] == "短信补充：补充说明：还是没人来"
    # Twilio retrying that webhook gets the same silence.
    again = phone.send("补充说明：还是没人来", sid="SM" + "f" * 32)
    assert ElementTree.fromstring(again.text).find("Message") is None


def test_the_answer_to_a_text_carries_the_desks_signature(client: TestClient) -> None:
    app_settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = app_settings.model_copy(  # type: ignore[attr-defined]
        update={"sms_signature": "【金凤区热线】"}
    )
    text = answer(Sms(client, "+8613812340002").send("永安北巷的下水道堵了，汛期快到了"))
    assert text.startswith("【金凤区热线】您的诉求已受理，工单号 WO-")
