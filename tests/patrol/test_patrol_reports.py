"""巡查上报: a grid worker or volunteer on patrol reports what they found from their phone. It
becomes a work order routed like a call, they follow it in 我的上报, add photos to it, and hear
how it ended; the desk sees what the field reported."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dispatch.database import Database
from tests.builders.desk import Person, leader, operator, supervisor
from tests.builders.notices import notices
from tests.builders.pictures import camera_jpeg
from tests.photos.test_photos import send_photo

MANHOLE = {
    "category": "manhole_cover",
    "address": {"compound": "taihe-road", "text": "泰和路小学门口"},
    "description": "泰和路小学门口井盖破损，放学前需处理",
}
GRID_WORKER = "leader.grid"  # 马小兰, 清水社区网格员
WHAT_AND_WHERE = "井盖破损｜泰和路沿街 泰和路小学门口"


def report(person: Person, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return person.post("/api/v1/patrol-reports", json=body or MANHOLE, headers=headers)


def my_reports(person: Person, **query: Any) -> dict[str, Any]:
    answer = person.get("/api/v1/patrol-reports", params=query)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_grid_worker_reports_a_broken_manhole_cover_and_the_utility_centre_gets_it(
    client: TestClient,
) -> None:
    grid = Person(client, GRID_WORKER)
    answer = report(grid)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["channel"] == "patrol"
    assert order["status"] == "dispatched"
    assert order["caller"]["name"] == "马小兰"
    assert order["caller"]["phone"] == "138****0211"  # a team role sees phones masked
    assert order["caller"]["reporter"] is True  # the pages say 上报人, not 来电人
    assert order["routing"]["rule_id"] == "manhole-cover"
    assert [a["team_code"] for a in order["assignments"]] == ["public-utility"]

    utility = leader(client, "utility").get("/api/v1/orders").json()["data"]
    assert order["number"] in [o["number"] for o in utility]
    # The desk sees the reporter's number in full, to ring back whoever saw it.
    full = operator(client).get(f"/api/v1/orders/{order['number']}").json()
    assert full["caller"]["phone"] == "+8613800000211"


def test_reporter_follows_the_report_in_my_reports_though_it_is_another_teams_order(
    client: TestClient,
) -> None:
    grid = Person(client, GRID_WORKER)
    number = report(grid).json()["number"]

    mine = my_reports(grid)
    assert (mine["count"], mine["data"][0]["number"]) == (1, number)
    assert number not in [o["number"] for o in grid.get("/api/v1/orders").json()["data"]]
    assert grid.get(f"/api/v1/orders/{number}").status_code == 200
    assert grid.get(f"/api/v1/orders/{number}/timeline").status_code == 200
    # Nobody else outside the handling team sees it, reporter's teammates included.
    assert leader(client, "yinpi").get(f"/api/v1/orders/{number}").status_code == 404
    assert my_reports(leader(client, "yinpi"))["count"] == 0


def test_reporter_adds_a_photo_and_the_utility_centre_resolves_with_it(
    client: TestClient, db: Database
) -> None:
    grid = Person(client, GRID_WORKER)
    number = report(grid).json()["number"]
    assert send_photo(grid, number, camera_jpeg(), caption="井盖").status_code == 201

    utility = leader(client, "utility")
    assert utility.act(number, "accept").status_code == 200
    # 办结需附现场照片: the reporter's photo of the scene is on the order already.
    resolved = utility.act(number, "resolve", {"result": "已更换新井盖并设置警示"})
    assert resolved.status_code == 200, resolved.text

    assert notices(db, "report:") == [
        (
            channel,
            recipient,
            f"【上报反馈】{number}｜{WHAT_AND_WHERE}｜已办结：已更换新井盖并设置警示",
        )
        for channel, recipient in (("push", "user:leader.grid"), ("sms", "+8613800000211"))
    ]
    assert my_reports(grid, status="resolved")["data"][0]["result"] == "已更换新井盖并设置警示"


def test_reporter_hears_when_the_desk_calls_the_report_off(
    client: TestClient, db: Database
) -> None:
    number = report(Person(client, GRID_WORKER)).json()["number"]
    cancelled = operator(client).act(number, "cancel", {"reason": "已由市政当场处理"})
    assert cancelled.status_code == 200, cancelled.text
    assert [m for c, _, m in notices(db, "report:") if c == "sms"] == [
        f"【上报反馈】{number}｜{WHAT_AND_WHERE}｜已撤销：已由市政当场处理"
    ]


def test_a_report_sent_twice_on_a_poor_signal_is_one_order(client: TestClient) -> None:
    grid = Person(client, GRID_WORKER)
    first = report(grid, key="patrol-0001")
    again = report(grid, key="patrol-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert my_reports(grid)["count"] == 1


def test_a_report_must_say_where_and_what_and_a_bad_one_stores_nothing(
    client: TestClient,
) -> None:
    grid = Person(client, GRID_WORKER)
    nowhere = report(grid, {**MANHOLE, "address": {"text": "路边"}})
    assert nowhere.status_code == 422
    assert nowhere.json()["error"]["field"] == "address"
    unknown = report(grid, {**MANHOLE, "category": "ufo_sighting"})
    assert unknown.status_code == 422
    assert "ufo_sighting" in unknown.json()["error"]["message"]
    caller = report(grid, {**MANHOLE, "caller": {"name": "别人"}})
    assert caller.status_code == 422  # the reporter is whoever is logged in
    assert my_reports(grid)["count"] == 0


def test_the_desk_takes_calls_on_its_own_form_and_lists_what_the_field_reported(
    client: TestClient,
) -> None:
    assert report(operator(client)).status_code == 403
    assert supervisor(client).get("/api/v1/patrol-reports").status_code == 403
    number = report(Person(client, GRID_WORKER)).json()["number"]
    operator(client).create_order()

    patrol = supervisor(client).get("/api/v1/orders", params={"channel": "patrol"}).json()
    assert [o["number"] for o in patrol["data"]] == [number]


def test_reporter_cannot_act_for_the_team_handling_the_report(client: TestClient) -> None:
    grid = Person(client, GRID_WORKER)
    number = report(grid).json()["number"]
    refused = grid.act(number, "accept")
    assert refused.status_code == 409
    assert "has no active part" in refused.json()["error"]["message"]
    assert supervisor(client).get(f"/api/v1/orders/{number}").json()["status"] == "dispatched"


def test_team_leader_follows_what_the_teams_people_reported_in_team_reports(
    client: TestClient,
) -> None:
    # 杨晓东 of 金地物业 finds the broken cover on his way round; the utility centre gets it.
    member = Person(client, "member.jindi")
    number = report(member).json()["number"]
    boss = leader(client, "jindi")

    ours = my_reports(boss, of="team")
    assert (ours["count"], ours["data"][0]["number"]) == (1, number)
    assert ours["data"][0]["caller"]["name"] == "杨晓东"
    assert my_reports(boss)["count"] == 0  # 我的上报: what the leader reported himself
    assert boss.get(f"/api/v1/orders/{number}/timeline").status_code == 200
    # Following is not handling: it is the utility centre's to accept.
    assert boss.act(number, "accept").status_code == 409
    # Nobody else's leader follows it.
    assert my_reports(leader(client, "yinpi"), of="team")["count"] == 0
    assert leader(client, "yinpi").get(f"/api/v1/orders/{number}").status_code == 404


def test_a_member_asking_for_the_teams_reports_is_refused_on_of(client: TestClient) -> None:
    refused = Person(client, "member.jindi").get("/api/v1/patrol-reports", params={"of": "team"})
    assert refused.status_code == 403
    assert refused.json()["error"]["field"] == "of"
    unknown = leader(client).get("/api/v1/patrol-reports", params={"of": "street"})
    assert unknown.status_code == 422


def test_grid_worker_records_what_they_cleared_on_the_spot_and_it_is_closed_at_once(
    client: TestClient, db: Database
) -> None:
    grid = Person(client, GRID_WORKER)
    cleared = {
        **MANHOLE,
        "category": "other",
        "description": "永安北巷楼道口堆放杂物堵住通道",
        "address": {"compound": "yongan-north-lane"},
        "handled_on_site": "已联系住户将杂物清走，通道畅通",
    }
    answer = report(grid, cleared)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["status"] == "closed"
    assert order["result"] == "已联系住户将杂物清走，通道畅通"
    assert "handled_on_site" in order["tags"]
    assert order["routing"]["rule_id"] is None  # no rule sent anyone to what is done
    [part] = order["assignments"]
    assert [part["team_code"], part["role"], part["status"]] == [
        "grid-qingshui",
        "lead",
        "resolved",
    ]

    timeline = supervisor(client).get(f"/api/v1/orders/{order['number']}/timeline").json()
    kinds = [e["kind"] for e in timeline["data"]]
    assert kinds == ["received", "dispatched", "accepted", "resolved", "closed"]
    assert {e["actor"] for e in timeline["data"]} == {GRID_WORKER}
    assert notices(db, "report:") == []  # the reporter did it: nothing to tell them
    closed = grid.get("/api/v1/orders", params={"status": "closed"}).json()["data"]
    assert [o["number"] for o in closed] == [order["number"]]
    waiting = operator(client).get("/api/v1/orders", params={"status": "resolved"}).json()
    assert waiting["count"] == 0  # nothing for the desk to call back


def test_a_team_out_of_service_cannot_record_work_on_the_spot_and_nothing_is_stored(
    client: TestClient,
) -> None:
    admin = Person(client, "admin")
    stopped = admin.patch("/api/v1/teams/blue-safety", {"active": False})
    assert stopped.status_code == 200, stopped.text
    blue = Person(client, "leader.blue")

    refused = report(blue, {**MANHOLE, "handled_on_site": "已处理"})

    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "handled_on_site"
    assert "blue-safety" in refused.json()["error"]["message"]
    assert my_reports(blue)["count"] == 0
    assert report(blue).status_code == 201  # reported to be dispatched, it still goes
