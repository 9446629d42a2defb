"""巡查上报 out of signal: the photos of a report waiting on the phone (待发送) are kept in the
browser's IndexedDB, so a reload (or a tab the phone threw away) loses none of them; they go
to the order once it is made, each once, and leave the phone when they are on it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, Route, expect

from tests.builders.pictures import camera_jpeg
from tests.web.conftest import PHONE, Desk, Pages, screenshot
from tests.web.test_languages import assert_only_chinese
from tests.web.test_patrol_page import report_form

pytestmark = pytest.mark.browser

MEMBER = "member.jindi"
# The photos waiting on the phone, in the store patrol.js keeps them in.
PHOTOS_ON_THE_PHONE = f"""() => new Promise((resolve, reject) => {{
  const opening = indexedDB.open("patrol-outbox:{MEMBER}");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {{
    const counted = opening.result.transaction("photos").objectStore("photos").count();
    counted.onsuccess = () => resolve(counted.result);
  }};
}})"""


def photo(name: str, variant: int = 0) -> FilePayload:
    """Another `variant` is another picture: the same one twice is one photo on the order."""
    return {
        "name": name,
        "mimeType": "image/jpeg",
        "buffer": camera_jpeg(800, 600, variant=variant),
    }


def reports_of(desk: Desk) -> list[dict[str, Any]]:
    answer = desk.http.get("/api/v1/patrol-reports", headers=desk.as_user(MEMBER))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["data"]
    return items


def photos_of(desk: Desk, number: str) -> list[dict[str, Any]]:
    answer = desk.http.get(f"/api/v1/orders/{number}/photos", headers=desk.as_user(MEMBER))
    assert answer.status_code == 200, answer.text
    photos: list[dict[str, Any]] = answer.json()
    return photos


def signal_back(page: Page) -> None:
    """The browser says it is online again (its `online` event), as a phone does."""
    page.context.set_offline(True)
    page.context.set_offline(False)


def test_field_worker_photos_wait_on_the_phone_through_a_reload_and_go_with_the_report(
    pages: Pages, desk: Desk
) -> None:
    page = pages.open(MEMBER, "/team", viewport=PHONE)
    report_form(page, "manhole_cover", "井盖破损，有人差点踩空", compound="taihe-road")
    page.locator("#r-photos").set_input_files(files=[photo("cover.jpg")])
    page.context.set_offline(True)
    page.locator("#report-send").click()
    expect(page.locator("#alert")).to_contain_text("暂无信号")

    # The app has no service worker: the browser cannot load a page without signal. What the
    # page reads is handed to it here, as a phone's cache would; nothing it sends gets out.
    def from_the_cache(route: Route) -> None:
        if route.request.method == "GET":
            route.fulfill(response=route.fetch())
        else:
            route.abort("internetdisconnected")

    page.context.route("**/*", from_the_cache)
    page.reload()

    expect(page.locator("#report-waiting")).to_have_text("1 条上报待发送，有信号后自动发出")
    waiting = page.locator("#report-waiting-list li")
    expect(waiting).to_have_count(1)
    expect(waiting).to_have_text("井盖破损，有人差点踩空 · 1 张照片")
    assert page.evaluate(PHOTOS_ON_THE_PHONE) == 1
    assert reports_of(desk) == []
    screenshot(page, "team-patrol-waiting-photos-zh")

    page.context.unroute("**/*")
    page.context.set_offline(False)

    expect(page.locator("#alert")).to_contain_text("已补发 1 条上报")
    expect(page.locator("#report-outbox")).to_be_hidden()
    reports = reports_of(desk)
    assert len(reports) == 1  # one order, though it was sent from two pages
    assert len(photos_of(desk, reports[0]["number"])) == 1
    assert page.evaluate(PHOTOS_ON_THE_PHONE) == 0
    assert_only_chinese(page)


def test_a_photo_that_did_not_go_after_the_report_waits_and_goes_once(
    pages: Pages, desk: Desk
) -> None:
    page = pages.open(MEMBER, "/team", viewport=PHONE)
    report_form(page, "manhole_cover", "井盖松动", compound="taihe-road")
    page.locator("#r-photos").set_input_files(files=[photo("near.jpg"), photo("far.jpg", 1)])
    uploads: list[str] = []

    def signal_drops_after_one(route: Route) -> None:
        uploads.append(route.request.url)
        if len(uploads) == 1:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.context.route("**/api/v1/orders/*/photos", signal_drops_after_one)
    page.locator("#report-send").click()

    expect(page.locator("#alert")).to_contain_text("照片暂未传上")
    [report] = reports_of(desk)
    number = report["number"]
    expect(page.locator("#report-waiting-list li")).to_have_text(
        f"{number} · 已上报，1 张照片待发送"
    )
    assert len(photos_of(desk, number)) == 1
    assert page.evaluate(PHOTOS_ON_THE_PHONE) == 1

    page.context.unroute("**/api/v1/orders/*/photos")
    signal_back(page)

    expect(page.locator("#report-outbox")).to_be_hidden()
    assert len(photos_of(desk, number)) == 2  # the first one was not sent again
    assert len(reports_of(desk)) == 1
    assert page.evaluate(PHOTOS_ON_THE_PHONE) == 0
