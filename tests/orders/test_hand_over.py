"""组内派工: a team leader hands the team's part of an order to one of its members, who hears
of it on the phone (push and SMS, once) and handles it; nobody outside the team can be handed
it, and nobody but the team's leader can hand it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dispatch.database import Database
from tests.builders.desk import Person, leader, operator, supervisor
from tests.builders.notices import notices
from tests.conftest import DEMO_PASSWORD

MEMBER = "member.jindi"  # 杨晓东, team member of 金地物业, which gets the fire-lane order


def events(client: TestClient, number: str, kind: str) -> list[dict[str, Any]]:
    timeline = supervisor(client).get(f"/api/v1/orders/{number}/timeline").json()["data"]
    return [e for e in timeline if e["kind"] == kind]


def hand_over(person: Person, number: str, member: str, note: str = "") -> Any:
    return person.act(number, "hand-over", {"member": member, "note": note})


def new_member(
    client: TestClient, username: str, name: str, *, team: str = "jindi-property"
) -> None:
    admin = Person(client, "admin")
    created = admin.post(
        "/api/v1/users",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "display_name": name,
            "role": "team_member",
            "team_code": team,
            "phone": "13800000109",
        },
    )
    assert created.status_code == 201, created.text


def test_leader_hands_an_accepted_order_to_a_member_who_is_told_and_resolves_it(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    boss = leader(client)
    boss.act(number, "accept")
    # The leader picks from the team's own people: names and roles, no phone numbers.
    members = boss.get("/api/v1/teams/jindi-property/members").json()
    assert {"username": MEMBER, "name": "杨晓东", "role": "team_member", "active": True} in members
    assert all(set(m) == {"username", "name", "role", "active"} for m in members)

    handed = hand_over(boss, number, MEMBER, "先把电动车挪走，再拍照")

    assert handed.status_code == 200, handed.text
    part = handed.json()["assignments"][0]
    assert part["handler"] == {"username": MEMBER, "name": "杨晓东"}
    assert part["status"] == "accepted"
    [event] = events(client, number, "handed_over")
    assert event["actor"] == "leader.jindi"
    assert event["data"] == {
        "status": "accepted",
        "team": "jindi-property",
        "member": MEMBER,
        "member_name": "杨晓东",
        "from_member": None,
        "from_member_name": None,
        "note": "先把电动车挪走，再拍照",
    }
    # Told once, on the member's own phone: the job and the place, never the caller.
    text = (
        f"【派工】{number}｜消防通道堵塞｜金地花园D区8号楼｜"
        "队长 马建国 交给您办理：先把电动车挪走，再拍照"
    )
    told = notices(db, "handed_over:")
    assert told == [("push", f"user:{MEMBER}", text), ("sms", "+8613800000102", text)]
    assert "陈女士" not in text and "5678" not in text

    member = Person(client, MEMBER)
    seen = member.get(f"/api/v1/orders/{number}").json()
    assert seen["assignments"][0]["handler"]["name"] == "杨晓东"
    assert member.act(number, "start").json()["status"] == "in_progress"
    resolved = member.act(number, "resolve", {"result": "电动车已挪走，消防通道畅通"})
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["assignments"][0]["handler"]["username"] == MEMBER


def test_handing_over_a_new_order_accepts_it_in_the_same_call(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    boss = leader(client)
    # A refused hand-over takes nothing on: the order still waits to be accepted.
    assert hand_over(boss, number, "leader.yinpi").status_code == 422
    assert boss.get(f"/api/v1/orders/{number}").json()["status"] == "dispatched"

    handed = hand_over(boss, number, MEMBER)

    assert handed.status_code == 200, handed.text
    assert handed.json()["status"] == "accepted"
    assert handed.json()["accepted_at"] is not None
    kinds = [
        e["kind"]
        for e in supervisor(client).get(f"/api/v1/orders/{number}/timeline").json()["data"]
    ]
    assert kinds[-2:] == ["accepted", "handed_over"]
    text = notices(db, "handed_over:")[0][2]
    assert text.endswith("｜队长 马建国 交给您办理")  # no note, no colon


def test_a_member_of_another_team_or_an_unknown_or_inactive_user_is_refused_by_name(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    boss = leader(client)
    boss.act(number, "accept")
    new_member(client, "member.jindi.gone", "赵师傅")
    gone = Person(client, "admin").patch("/api/v1/users/member.jindi.gone", {"active": False})
    assert gone.status_code == 200, gone.text

    for who in ("leader.yinpi", "nobody.here", "member.jindi.gone", "operator.li"):
        refused = hand_over(boss, number, who)
        assert refused.status_code == 422, (who, refused.text)
        error = refused.json()["error"]
        assert error["field"] == "member" and who in error["message"], (who, error)

    assert events(client, number, "handed_over") == []
    assert notices(db, "handed_over:") == []
    unchanged = boss.get(f"/api/v1/orders/{number}").json()
    assert unchanged["assignments"][0]["handler"] is None


def test_a_member_cannot_hand_orders_over_and_another_teams_leader_gets_404(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    leader(client).act(number, "accept")

    by_member = hand_over(Person(client, MEMBER), number, MEMBER)
    assert by_member.status_code == 403, by_member.text
    other = leader(client, "yinpi")
    by_other_leader = hand_over(other, number, "leader.yinpi")
    assert by_other_leader.status_code == 404, by_other_leader.text
    # Nor may they read another team's people, nor a member the team's list.
    assert other.get("/api/v1/teams/jindi-property/members").status_code == 404
    assert Person(client, MEMBER).get("/api/v1/teams/jindi-property/members").status_code == 403

    assert events(client, number, "handed_over") == []
    assert notices(db, "handed_over:") == []


def test_a_closed_order_cannot_be_handed_over(client: TestClient, db: Database) -> None:
    desk, boss = operator(client), leader(client)
    number = desk.create_order()["number"]
    boss.act(number, "accept")
    boss.act(number, "resolve", {"result": "已处理"})
    desk.act(number, "callback", {"satisfaction": "satisfied"})

    refused = hand_over(boss, number, MEMBER)

    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert error["current_status"] == "closed"
    assert notices(db, "handed_over:") == []


def test_handing_over_again_moves_it_to_the_new_member(client: TestClient, db: Database) -> None:
    number = operator(client).create_order()["number"]
    boss = leader(client)
    boss.act(number, "accept")
    new_member(client, "member.jindi.wang", "王师傅")
    hand_over(boss, number, MEMBER, "先去看看")

    again = hand_over(boss, number, MEMBER)
    assert again.status_code == 422, again.text
    assert again.json()["error"]["field"] == "member"
    assert "already theirs" in again.json()["error"]["message"]

    moved = hand_over(boss, number, "member.jindi.wang", "杨师傅今天请假")

    assert moved.status_code == 200, moved.text
    assert moved.json()["assignments"][0]["handler"] == {
        "username": "member.jindi.wang",
        "name": "王师傅",
    }
    last = events(client, number, "handed_over")[-1]["data"]
    assert (last["from_member"], last["from_member_name"]) == (MEMBER, "杨晓东")
    assert last["member_name"] == "王师傅"
    told = notices(db, "handed_over:")
    assert [(channel, to) for channel, to, _ in told] == [
        ("push", f"user:{MEMBER}"),
        ("sms", "+8613800000102"),
        ("push", "user:member.jindi.wang"),
        ("sms", "+8613800000109"),
    ]
    assert told[-1][2].endswith("交给您办理：杨师傅今天请假")
    # The new member works it; the one it was taken from still sees the team's order.
    assert Person(client, "member.jindi.wang").act(number, "start").status_code == 200
