"""修改工单: the operator took the category or the address down wrong; the desk corrects it,
the timeline keeps what it was, and reports count the order where it belongs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import leader, operator, supervisor


def test_the_operator_corrects_category_and_place_and_the_timeline_keeps_what_they_were(
    client: TestClient,
) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]

    corrected = desk.patch(
        f"/api/v1/orders/{number}",
        {"category": "noise", "priority": "P3", "address": {"compound": "anyi-home"}},
    )

    assert corrected.status_code == 200, corrected.text
    order = corrected.json()
    assert (order["category"], order["priority"]) == ("noise", "P3")
    assert order["address"]["community"] == "anyi" and order["address"]["compound"] == "anyi-home"
    assert order["status"] == "dispatched"  # still with its team: 改派 moves an order
    events = supervisor(client).get(f"/api/v1/orders/{number}/timeline").json()["data"]
    assert events[-1]["kind"] == "updated" and events[-1]["actor"] == "operator.li"
    changes = events[-1]["data"]["changes"]
    assert changes["category_code"] == {"from": "fire_lane", "to": "noise"}
    assert changes["compound_code"] == {"from": "jindi-garden", "to": "anyi-home"}
    assert changes["priority"] == {"from": "P2", "to": "P3"}


def test_a_correction_that_changes_nothing_writes_nothing(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]
    same = desk.patch(f"/api/v1/orders/{number}", {"category": "fire_lane"})
    assert same.status_code == 200
    kinds = [e["kind"] for e in desk.get(f"/api/v1/orders/{number}/timeline").json()["data"]]
    assert "updated" not in kinds


def test_bad_corrections_are_refused_by_field_and_change_nothing(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order()["number"]
    for body, field in (
        ({"category": "ufo"}, "category"),
        ({"address": {"compound": "atlantis"}}, "address.compound"),
        ({"address": {"community": "qingshui", "compound": "jindi-garden"}}, "address.community"),
        ({"priority": "P9"}, "priority"),
        ({"description": ""}, "description"),
        ({"status": "closed"}, "status"),
    ):
        refused = desk.patch(f"/api/v1/orders/{number}", body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["error"]["field"] == field, body
    order = desk.get(f"/api/v1/orders/{number}").json()
    assert (order["category"], order["address"]["compound"]) == ("fire_lane", "jindi-garden")

    assert (
        leader(client).patch(f"/api/v1/orders/{number}", {"category": "noise"}).status_code == 403
    )
    desk.act(number, "cancel", {"reason": "居民撤回"})
    closed = desk.patch(f"/api/v1/orders/{number}", {"category": "noise"})
    assert closed.status_code == 409
    assert closed.json()["error"]["current_status"] == "cancelled"
