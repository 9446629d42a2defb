"""现场照片: the team on the scene sends pictures of it with the order; the supervisor and
the desk see them on the order; nothing but a picture is taken, and what is kept carries
no location."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import select

from dispatch.database import Database
from dispatch.photos.models import OrderPhoto
from dispatch.photos.service import MAX_PHOTOS_PER_ORDER
from tests.builders.desk import Person, leader, operator, supervisor
from tests.builders.pictures import camera_jpeg, small_png


def send_photo(
    person: Person, number: str, body: bytes, content_type: str = "image/jpeg", **query: str
) -> Any:
    return person.client.post(
        f"/api/v1/orders/{number}/photos",
        content=body,
        params=query,
        headers={**person.headers, "Content-Type": content_type},
    )


def kept_digest(db: Database, photo_id: int) -> tuple[str | None, int | None]:
    """The sha256 and size the desk keeps for a photo, read without its picture."""
    with db.session() as session:
        found = session.exec(
            select(OrderPhoto.sha256, OrderPhoto.size_bytes).where(OrderPhoto.id == photo_id)
        ).one()
    return found[0], found[1]


def _timeline_kinds(person: Person, number: str) -> list[str]:
    answer = person.get(f"/api/v1/orders/{number}/timeline")
    assert answer.status_code == 200, answer.text
    return [e["kind"] for e in answer.json()["data"]]


def test_team_leader_sends_a_photo_of_the_cleared_lane_and_the_supervisor_sees_it(
    client: TestClient,
) -> None:
    number = operator(client).create_order()["number"]
    jindi, boss = leader(client), supervisor(client)

    sent = send_photo(jindi, number, camera_jpeg(), caption="挪车后的消防通道")
    assert sent.status_code == 201, sent.text
    photo = sent.json()
    assert (photo["team_code"], photo["actor"], photo["caption"]) == (
        "jindi-property",
        "leader.jindi",
        "挪车后的消防通道",
    )

    listed = boss.get(f"/api/v1/orders/{number}/photos")
    assert listed.status_code == 200, listed.text
    assert [p["id"] for p in listed.json()] == [photo["id"]]
    full = boss.get(photo["url"])
    assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(full.content)).size == (1600, 1200)
    thumb = boss.get(photo["thumbnail_url"])
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 240)
    assert "photo_added" in _timeline_kinds(boss, number)


def test_a_team_leaders_photo_keeps_the_sha256_and_size_of_the_picture_it_serves(
    client: TestClient, db: Database
) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)

    sent = send_photo(jindi, number, camera_jpeg(), caption="挪车后的消防通道")
    assert sent.status_code == 201, sent.text

    served = jindi.get(sent.json()["url"]).content  # the re-encoded JPEG, not what was sent
    assert kept_digest(db, sent.json()["id"]) == (hashlib.sha256(served).hexdigest(), len(served))


def test_the_kept_photo_is_upright_bounded_and_says_nothing_of_where_it_was_taken(
    client: TestClient,
) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)

    sent = send_photo(jindi, number, camera_jpeg(rotated=True))
    assert sent.status_code == 201, sent.text
    assert (sent.json()["width"], sent.json()["height"]) == (1200, 1600)
    kept = Image.open(io.BytesIO(jindi.get(sent.json()["url"]).content))
    assert kept.size == (1200, 1600)
    assert dict(kept.getexif()) == {}
    # Turned upright: the stripe that was on the left of the landscape pixels is on top.
    assert kept.getpixel((600, 10))[2] > 150 and kept.getpixel((600, 1590))[2] < 100


def test_a_png_from_the_desk_is_taken_too(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    sent = send_photo(operator(client), number, small_png(), "image/png")
    assert sent.status_code == 201, sent.text
    assert sent.json()["team_code"] is None


def test_another_team_neither_sees_nor_adds_photos(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    sent = send_photo(leader(client), number, small_png(), "image/png")
    assert sent.status_code == 201, sent.text
    yinpi = leader(client, "yinpi")

    assert send_photo(yinpi, number, small_png(), "image/png").status_code == 404
    assert yinpi.get(f"/api/v1/orders/{number}/photos").status_code == 404
    assert yinpi.get(sent.json()["url"]).status_code == 404
    assert client.get(sent.json()["url"]).status_code == 401


def test_what_is_not_a_picture_is_refused_by_field_and_nothing_is_kept(
    client: TestClient,
) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 Mpx in a few kB
    refusals = [
        send_photo(jindi, number, "这不是图片".encode(), "image/jpeg"),
        send_photo(jindi, number, b'{"photo": 1}', "application/json"),
        send_photo(jindi, number, b"", "image/png"),
        send_photo(jindi, number, bomb.getvalue(), "image/png"),
        send_photo(jindi, number, camera_jpeg()[:5000], "image/jpeg"),  # cut off mid-way
        send_photo(jindi, number, small_png(), "image/png", caption="长" * 201),
    ]

    for answer in refusals:
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["field"] in ("photo", "caption"), answer.text
    assert jindi.get(f"/api/v1/orders/{number}/photos").json() == []
    assert "photo_added" not in _timeline_kinds(jindi, number)


def test_a_photo_larger_than_the_limit_is_refused_before_it_is_read(
    client: TestClient,
) -> None:
    number = operator(client).create_order()["number"]
    limit = client.app.state.settings.max_photo_bytes  # type: ignore[attr-defined]
    answer = send_photo(leader(client), number, b"\xff" * (limit + 1))
    assert answer.status_code == 413, answer.text
    # Other routes keep the API's usual limit.
    note = leader(client).act(number, "notes", {"text": "长" * 200_000})
    assert note.status_code == 413


def test_a_closed_order_takes_no_more_photos(client: TestClient) -> None:
    desk = operator(client)
    number = desk.create_order(category="other", description="咨询社区活动", address={})["number"]
    assert desk.act(number, "cancel", {"reason": "来电人已自行解决"}).status_code == 200
    refused = send_photo(desk, number, small_png(), "image/png")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["current_status"] == "cancelled"


def test_an_order_takes_a_bounded_number_of_photos(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)
    for variant in range(MAX_PHOTOS_PER_ORDER):
        assert send_photo(jindi, number, small_png(variant), "image/png").status_code == 201
    refused = send_photo(jindi, number, small_png(MAX_PHOTOS_PER_ORDER), "image/png")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["field"] == "photo"


def test_a_team_sees_phone_numbers_in_captions_masked(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    sent = send_photo(
        operator(client), number, small_png(), "image/png", caption="车主 13812345678"
    )
    assert sent.status_code == 201, sent.text
    seen_by_team = leader(client).get(f"/api/v1/orders/{number}/photos").json()
    assert seen_by_team[0]["caption"] == "车主 138****5678"
    assert supervisor(client).get(f"/api/v1/orders/{number}/photos").json()[0]["caption"] == (
        "车主 13812345678"
    )


def test_a_photo_sent_again_after_its_answer_was_lost_is_kept_once(client: TestClient) -> None:
    number = operator(client).create_order()["number"]
    jindi = leader(client)
    first = send_photo(jindi, number, camera_jpeg(), caption="挪车后的消防通道")
    # The signal dropped before the answer came back: the phone sends the same picture again.
    again = send_photo(jindi, number, camera_jpeg(), caption="挪车后的消防通道")
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    other = send_photo(jindi, number, camera_jpeg(rotated=True))
    assert other.json()["id"] != first.json()["id"]

    listed = jindi.get(f"/api/v1/orders/{number}/photos").json()
    assert [p["id"] for p in listed] == [first.json()["id"], other.json()["id"]]
    assert _timeline_kinds(supervisor(client), number).count("photo_added") == 2
