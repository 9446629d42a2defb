"""交接班: at the change of shift the night operator writes down what the morning must know,
the server attaches what stands open at the desk at that moment, and the morning operator
confirms taking it over, once, and never their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from dispatch.clock import FrozenClock
from dispatch.database import Database
from dispatch.handovers.models import ShiftHandover
from tests.builders.desk import Person, leader, operator, supervisor

HANDOVERS = "/api/v1/handovers"
NOTE = "金地花园D区消防通道的事下午要回电话给陈女士；12345 平台下午三点到五点接口故障，已电话报备"


def stray_dog(desk: Person) -> str:
    """An order no rule routes: it waits in triage."""
    return str(
        desk.create_order(category="other", description="小区门口有一只流浪狗", address={})[
            "number"
        ]
    )


def resolved_by_jindi(client: TestClient, desk: Person) -> str:
    number = str(desk.create_order(description="金地花园D区9号楼前电动车堵住消防通道")["number"])
    team = leader(client)
    for action, body in (("accept", {}), ("resolve", {"result": "已联系车主挪走电动车"})):
        answer = team.act(number, action, body)
        assert answer.status_code == 200, answer.text
    return number


def hand_over(person: Person, note: str = NOTE) -> Any:
    return person.post(HANDOVERS, json={"note": note})


def stored_handovers(db: Database) -> list[ShiftHandover]:
    with db.session() as session:
        return list(session.exec(select(ShiftHandover)).all())


def test_night_operator_hands_over_what_is_open_and_the_morning_operator_takes_it_over(
    client: TestClient, clock: FrozenClock
) -> None:
    night = operator(client)
    in_triage = stray_dog(night)
    awaiting_callback = resolved_by_jindi(client, night)
    late = night.create_order()["number"]  # 金地物业 has 15 minutes to accept it
    clock.advance(timedelta(hours=1))
    night = operator(client)  # logged in again: the first login's token has run out

    handed = hand_over(night)

    assert handed.status_code == 201, handed.text
    handover = handed.json()
    assert handover["note"] == NOTE and handover["handed_by"]["username"] == "operator.li"
    assert handover["received_by"] is None and handover["received_at"] is None
    snapshot = handover["snapshot"]
    assert snapshot["triage"] == {"count": 1, "orders": [in_triage]}
    assert snapshot["awaiting_callback"] == {"count": 1, "orders": [awaiting_callback]}
    assert snapshot["late"] == {"count": 1, "orders": [late]}

    morning = Person(client, "operator.wang")
    clock.advance(timedelta(minutes=5))
    taken = morning.post(f"{HANDOVERS}/{handover['id']}/receive")

    assert taken.status_code == 200, taken.text
    assert taken.json()["received_by"]["username"] == "operator.wang"
    assert taken.json()["received_at"] == clock.now().isoformat().replace("+00:00", "Z")
    listed = supervisor(client).get(HANDOVERS).json()
    assert listed["count"] == 1
    assert listed["data"][0]["received_by"]["username"] == "operator.wang"
    assert listed["data"][0]["snapshot"] == snapshot  # what stood open then, not now


def test_the_snapshot_keeps_the_first_order_numbers_and_counts_them_all(
    client: TestClient,
) -> None:
    desk = operator(client)
    first = [stray_dog(desk) for _ in range(22)]
    urgent = desk.create_order(priority="P1")["number"]

    snapshot = desk.get(f"{HANDOVERS}/snapshot").json()

    assert snapshot["triage"] == {"count": 22, "orders": first[:20]}
    assert snapshot["open_p1"] == {"count": 1, "orders": [urgent]}
    assert hand_over(desk).json()["snapshot"] == snapshot


def test_a_handover_is_taken_over_only_once(client: TestClient) -> None:
    handover_id = hand_over(operator(client)).json()["id"]
    Person(client, "operator.wang").post(f"{HANDOVERS}/{handover_id}/receive")

    again = supervisor(client).post(f"{HANDOVERS}/{handover_id}/receive")

    assert again.status_code == 409, again.text
    error = again.json()["error"]
    assert error["received_by"] == "operator.wang" and "operator.wang" in error["message"]
    assert error["received_at"]


def test_the_writer_cannot_take_over_their_own_handover(client: TestClient, db: Database) -> None:
    night = operator(client)
    handover_id = hand_over(night).json()["id"]

    own = night.post(f"{HANDOVERS}/{handover_id}/receive")

    assert own.status_code == 409, own.text
    assert "yourself" in own.json()["error"]["message"]
    assert stored_handovers(db)[0].received_at is None


def test_a_missing_handover_is_404(client: TestClient) -> None:
    missing = operator(client).post(f"{HANDOVERS}/999/receive")
    assert missing.status_code == 404, missing.text
    assert missing.json()["error"]["code"] == "not_found"


def test_a_team_leader_neither_hands_over_nor_reads_the_desks_handovers(
    client: TestClient,
) -> None:
    handover_id = hand_over(operator(client)).json()["id"]
    team = leader(client)
    assert hand_over(team).status_code == 403
    assert team.get(HANDOVERS).status_code == 403
    assert team.post(f"{HANDOVERS}/{handover_id}/receive").status_code == 403


def test_an_empty_note_is_refused_on_the_note_and_nothing_is_stored(
    client: TestClient, db: Database
) -> None:
    desk = operator(client)
    for note in ("", "   \n "):
        refused = hand_over(desk, note)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "note"
    too_long = hand_over(desk, "交" * 4001)
    assert too_long.status_code == 422 and too_long.json()["error"]["field"] == "note"
    assert stored_handovers(db) == []


def test_the_history_lists_the_newest_handover_first_a_page_at_a_time(
    client: TestClient, clock: FrozenClock
) -> None:
    notes = ["夜班：无遗留事项", "早班：永安北巷下水道待水务公司回复", "中班：金东豪庭污水管已疏通"]
    for note in notes:
        hand_over(operator(client), note)
        clock.advance(timedelta(hours=8))

    page = supervisor(client).get(HANDOVERS, params={"limit": 2, "offset": 1}).json()

    assert page["count"] == 3 and (page["limit"], page["offset"]) == (2, 1)
    assert [h["note"] for h in page["data"]] == [notes[1], notes[0]]
