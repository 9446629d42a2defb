"""办结需附现场照片: a broken manhole cover is resolved with a photo of it covered again. The
rules tag such orders `photo_required`; the lead team's 办结 without a photo is refused and
changes nothing; with one it goes through. Other orders resolve as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders.desk import Person, leader, operator
from tests.builders.pictures import camera_jpeg
from tests.photos.test_photos import send_photo

MANHOLE = {
    "category": "manhole_cover",
    "description": "泰和路井盖昨晚坏了，学校快放学了",
    "address": {"compound": "taihe-road"},
}


def test_the_manhole_cover_is_resolved_only_with_a_photo_of_the_scene(
    client: TestClient,
) -> None:
    order = operator(client).create_order(**MANHOLE)
    number = order["number"]
    assert "photo_required" in order["tags"]
    utility = Person(client, "leader.utility")
    assert utility.act(number, "accept").status_code == 200

    refused = utility.act(number, "resolve", {"result": "已更换井盖"})

    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("photo_required", "photo")
    assert utility.get(f"/api/v1/orders/{number}").json()["status"] == "accepted"

    assert send_photo(utility, number, camera_jpeg(), caption="新井盖已装好").status_code == 201
    resolved = utility.act(number, "resolve", {"result": "已更换井盖"})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"


def test_an_order_without_the_tag_resolves_without_a_photo(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)
    jindi.act(number, "accept")
    resolved = jindi.act(number, "resolve", {"result": "电动车已挪走"})
    assert resolved.status_code == 200, resolved.text
