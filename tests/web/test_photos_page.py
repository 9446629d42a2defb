"""现场照片 on the pages: the team leader takes a photo on the phone page, and the supervisor
watching the order sees it arrive without reloading."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Route, expect

from dispatch.photos.archive import archive_photos
from tests.builders.pictures import camera_jpeg
from tests.web.conftest import PHONE, Desk, Pages, not_reloaded, screenshot
from tests.web.test_languages import assert_only_chinese

pytestmark = pytest.mark.browser


def _accepted_by_jindi(desk: Desk) -> str:
    number: str = desk.create_order()["number"]
    accepted = desk.http.post(
        f"/api/v1/orders/{number}/accept", headers=desk.as_user("leader.jindi")
    )
    assert accepted.status_code == 200, accepted.text
    return number


def test_team_leader_photographs_the_cleared_lane_and_the_supervisor_sees_it_arrive(
    pages: Pages, desk: Desk
) -> None:
    number = _accepted_by_jindi(desk)
    order = pages.open_live("supervisor.zhang", f"/orders/{number}")
    expect(order.locator("#photos-empty")).to_be_visible()
    team = pages.open_live("leader.jindi", "/team", viewport=PHONE)
    card = team.locator(f".order-card[data-number='{number}']")
    expect(card.locator("button.photo")).to_have_text("拍照上传")
    expect(card.locator("input.photo-input")).to_have_attribute("capture", "environment")

    photo: FilePayload = {
        "name": "IMG_0412.jpg",
        "mimeType": "image/jpeg",
        "buffer": camera_jpeg(rotated=True),
    }
    card.locator("input.photo-input").set_input_files(photo)
    expect(team.locator("#alert")).to_have_text("已上传 1 张照片")

    figure = order.locator("#photos figure.photo")
    expect(figure).to_have_count(1)
    expect(figure.locator("img")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(figure).to_contain_text("金地物业")
    expect(order.locator("#timeline .event.kind-photo_added")).to_contain_text("现场照片")
    expect(order.locator("#photos-empty")).to_be_hidden()
    stored = desk.http.get(
        f"/api/v1/orders/{number}/photos", headers=desk.as_user("supervisor.zhang")
    ).json()
    # Shrunk and turned upright on the phone before it was sent.
    assert (stored[0]["width"], stored[0]["height"]) == (1200, 1600)
    assert not_reloaded(order)
    assert_only_chinese(order)
    screenshot(order, "order-photos-zh")


def test_a_file_that_is_not_a_picture_is_refused_and_said_so(pages: Pages, desk: Desk) -> None:
    number = _accepted_by_jindi(desk)
    order = pages.open("operator.li", f"/orders/{number}")
    order.locator("#photos-add input.photo-input").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": "不是照片".encode()}
    )
    expect(order.locator("#alert")).to_have_text("只能上传 JPEG、PNG 或 WebP 图片")
    expect(order.locator("#photos figure.photo")).to_have_count(0)


def test_the_order_still_shows_when_its_photos_cannot_be_listed(pages: Pages, desk: Desk) -> None:
    number = desk.create_order()["number"]
    page = pages.open("supervisor.zhang", f"/orders/{number}?lang=zh")

    def failing(route: Route) -> None:
        body = '{"error": {"code": "unavailable", "message": "database unavailable"}}'
        route.fulfill(status=503, content_type="application/json", body=body)

    page.route(f"**/api/v1/orders/{number}/photos", failing)
    with page.expect_response(lambda r: r.url.endswith("/photos") and r.status == 503):
        page.reload()
    expect(page.locator("#timeline li.kind-dispatched")).to_have_count(1)
    expect(page.locator("#photos-error")).to_be_visible()
    expect(page.locator("#order-error")).to_be_hidden()  # the order itself loaded
    expect(page.locator("#order-actions button")).not_to_have_count(0)


def test_a_manhole_cover_is_resolved_on_the_phone_only_after_its_photo(
    pages: Pages, desk: Desk
) -> None:
    number = desk.create_order(
        category="manhole_cover",
        description="泰和路井盖昨晚坏了，学校快放学了",
        address={"compound": "taihe-road"},
    )["number"]
    leader = pages.open_live("leader.utility", "/team", viewport=PHONE)
    card = leader.locator(f".order-card[data-number='{number}']")
    card.locator("button.accept").click()
    expect(card.locator(".photo-required")).to_have_text("办结须附现场照片")

    card.get_by_role("button", name="办结").click()
    card.locator("textarea[name=result]").fill("已更换井盖")
    card.locator("form.resolve-form button").click()
    expect(leader.locator("#alert")).to_contain_text("须上传现场照片")
    expect(card).to_have_attribute("data-state", "accepted")  # still to do

    photo = FilePayload(name="manhole.jpg", mimeType="image/jpeg", buffer=camera_jpeg(800, 600))
    card.locator("input.photo-input").set_input_files(photo)
    expect(leader.locator("#alert")).to_contain_text("已上传")
    card.locator("form.resolve-form button").click()
    expect(card).to_have_count(0)


def test_an_archived_photo_still_shows_its_thumbnail_on_the_order_page(
    pages: Pages, desk: Desk, tmp_path: Path
) -> None:
    number = _accepted_by_jindi(desk)
    leader = desk.as_user("leader.jindi")
    sent = desk.http.post(
        f"/api/v1/orders/{number}/photos",
        content=camera_jpeg(800, 600),
        headers={**leader, "Content-Type": "image/jpeg"},
    )
    assert sent.status_code == 201, sent.text
    desk.http.post(f"/api/v1/orders/{number}/resolve", json={"result": "已清理"}, headers=leader)
    desk.http.post(
        f"/api/v1/orders/{number}/callback",
        json={"satisfaction": "satisfied"},
        headers=desk.as_user("operator.li"),
    )
    later = datetime.now(UTC) + timedelta(days=1)
    moved = archive_photos(desk.db, closed_before=later, target=tmp_path, now=datetime.now(UTC))
    assert moved.photos == 1

    page = pages.open("supervisor.zhang", f"/orders/{number}")
    link = page.locator("#photos figure.photo a.photo-link.archived")
    expect(link).to_have_attribute("title", "原图已移入照片归档，此处为缩略图")
    expect(link.locator("img")).to_have_attribute("src", re.compile("^blob:"))
