"""The pages in a real browser: the real app under uvicorn on a free port, headless Chromium.

SQLite only (the pages do not care which database is underneath, and it keeps these fast);
the system clock, so the tokens the login page gets are valid in the browser's now.
Chromium is Debian's (`/usr/bin/chromium`, or HOTLINE_CHROMIUM); without it the tests skip,
unless HOTLINE_REQUIRE_BROWSER=1, when they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    WebSocket,
    expect,
    sync_playwright,
)

from dispatch.database import Database
from dispatch.main import create_app
from dispatch.settings import REPO_ROOT, Settings
from tests.conftest import DEMO_PASSWORD

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
# What a person would still call "at once" on a loaded 2-core machine, where a page's first
# answers have been seen to take over 5 s during the full suite (Chromium shares the cores).
# Tests that measure push latency pass their own, shorter, timeout.
WAIT_MS = 10_000
expect.set_options(timeout=WAIT_MS)
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web_settings(sqlite_template: Path, tmp_path: Path) -> Settings:
    target = tmp_path / "hotline.db"
    shutil.copyfile(sqlite_template, target)
    config = tmp_path / "config"
    shutil.copytree(REPO_ROOT / "config", config)
    return Settings(
        environment="test",
        database_url=f"sqlite:///{target}",
        config_dir=config,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
    )


@pytest.fixture
def web_db(web_settings: Settings) -> Iterator[Database]:
    database = Database(web_settings.database_url)
    yield database
    database.dispose()


@dataclass
class Desk:
    """The running app: its address and an HTTP client for setting the scene over the API."""

    url: str
    http: httpx.Client
    db: Database

    logins: dict[str, dict[str, Any]] = field(default_factory=dict)

    def login(self, username: str) -> dict[str, Any]:
        """The login answer, once per user per test (checking a password is slow on purpose)."""
        if username not in self.logins:
            response = self.http.post(
                "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.logins[username] = response.json()
        return self.logins[username]

    def token(self, username: str) -> str:
        return str(self.login(username)["access_token"])

    def as_user(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def create_order(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "caller": {"name": "陈女士", "phone": "13812345678"},
            "address": {"compound": "jindi-garden", "building": "D区8号楼"},
            "category": "fire_lane",
            "description": "金地花园D区8号楼前电动车堵住了消防通道",
            **overrides,
        }
        response = self.http.post("/api/v1/orders", json=body, headers=self.as_user("operator.li"))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture
def desk(web_settings: Settings, web_db: Database) -> Iterator[Desk]:
    app = create_app(web_settings, database=web_db)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-web-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            yield Desk(url=url, http=http, db=web_db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("HOTLINE_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and HOTLINE_REQUIRE_BROWSER=1")
        pytest.skip(message)
    launched = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browser contexts a test opens (one per person); closed before the server stops."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


class Pages:
    """Open a page as a given user, logged in through the login page like a person would."""

    def __init__(self, browser: Browser, desk: Desk, contexts: list[BrowserContext]) -> None:
        self.browser = browser
        self.desk = desk
        self.contexts = contexts
        self.errors: list[str] = []
        # What each page asked the API and heard back, for the report of a failed test.
        self.heard: list[str] = []
        self.started = time.monotonic()

    def open(
        self,
        username: str,
        path: str,
        *,
        viewport: ViewportSize | None = None,
        via_login_page: bool = False,
        fake_clock: bool = False,
        timezone_id: str | None = None,
    ) -> Page:
        """Log in through the login page, or (faster) put the API's token where it would.

        `fake_clock`: the page's timers run on Playwright's clock, which `page.clock` moves.
        `timezone_id`: the browser's own zone (the machine's by default).
        """
        context = self.browser.new_context(
            base_url=self.desk.url,
            viewport=viewport or DESKTOP,
            locale="zh-CN",
            timezone_id=timezone_id,
        )
        context.set_default_timeout(WAIT_MS)
        self.contexts.append(context)
        if not via_login_page:
            login = self.desk.login(username)
            token, user = json.dumps(login["access_token"]), json.dumps(json.dumps(login["user"]))
            renew_in = login["expires_in"] * 500  # as the login page would keep it
            context.add_init_script(
                f"localStorage.setItem('hotline.token', {token});"
                f"localStorage.setItem('hotline.user', {user});"
                f"localStorage.setItem('hotline.renew_at', String(Date.now() + {renew_in}));"
            )
        page = context.new_page()
        if fake_clock:
            page.clock.install()
        page.on("pageerror", lambda error: self.errors.append(f"{path}: {error}"))
        self._listen(page, f"{username} {path}")
        if not via_login_page:
            page.goto(path)
            return page
        page.goto(f"/login?next={path}")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("#login-submit")
        # The login page's own address names the path too (?next=): wait for the path itself.
        target = path.split("?")[0]
        page.wait_for_url(lambda url: urlsplit(url).path == target)
        return page

    def _listen(self, page: Page, who: str) -> None:
        def note(line: str) -> None:
            self.heard.append(f"{time.monotonic() - self.started:7.3f}s {who}: {line}")

        def answer(response: Response) -> None:
            if "/api/" in response.url:
                path = response.url.removeprefix(self.desk.url)
                note(f"{response.request.method} {path} -> {response.status}")

        def socket(ws: WebSocket) -> None:
            note(f"socket open {ws.url.removeprefix(self.desk.url)}")
            ws.on("framereceived", lambda frame: note(f"pushed {str(frame)[:160]}"))
            ws.on("close", lambda _: note("socket closed"))

        def asked(request: Request) -> None:
            if "/api/" in request.url:
                note(f"{request.method} {request.url.removeprefix(self.desk.url)} sent")

        page.on("request", asked)
        page.on("requestfailed", lambda request: note(f"failed {request.url} {request.failure}"))
        page.on("response", answer)
        page.on("websocket", socket)
        page.on("console", lambda message: note(f"console {message.type}: {message.text}"))

    def transcript(self) -> str:
        return "\n".join(self.heard)

    def open_live(
        self,
        username: str,
        path: str,
        *,
        viewport: ViewportSize | None = None,
        via_login_page: bool = False,
    ) -> Page:
        """Open a page and wait until its push socket is connected."""
        page = self.open(username, path, viewport=viewport, via_login_page=via_login_page)
        page.wait_for_selector("#live-status[data-state='online']")
        # A marker that a reload would wipe: the page must change without one.
        page.evaluate("window.__notReloaded = true")
        return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    funcargs = getattr(item, "funcargs", {})
    pages, desk = funcargs.get("pages"), funcargs.get("desk")
    if report.when == "call" and report.failed and isinstance(pages, Pages):
        report.sections.append(("what the pages asked and heard", pages.transcript()))
    if report.when == "call" and report.failed and isinstance(desk, Desk):
        report.sections.append(("the server when the test failed", server_state(desk)))
    return report


def server_state(desk: Desk) -> str:
    """Whether the server still answers, and where its threads are: a stalled page is told
    apart from a stalled server (and the place it is stuck in is named)."""
    started = time.monotonic()
    try:
        answer = f"/healthz {desk.http.get('/healthz').status_code}"
    except httpx.HTTPError as exc:
        answer = f"/healthz failed: {exc!r}"
    lines = [f"{answer} in {time.monotonic() - started:.3f}s"]
    frames = sys._current_frames()
    for thread in threading.enumerate():
        frame = frames.get(thread.ident or -1)
        if thread is threading.current_thread() or frame is None:
            continue
        lines.append(f"--- {thread.name}")
        lines.extend(line.rstrip() for line in traceback.format_stack(frame)[-6:])
    return "\n".join(lines)


@pytest.fixture
def pages(browser: Browser, desk: Desk, contexts: list[BrowserContext]) -> Iterator[Pages]:
    opened = Pages(browser, desk, contexts)
    yield opened
    assert not opened.errors, f"script errors in the pages: {opened.errors}"


def not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("window.__notReloaded === true"))


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
