"""The one app factory: wires dispatch, escalation and hotline together."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from dispatch import models as _models  # noqa: F401  (complete metadata)
from dispatch.audit.api import router as audit_router
from dispatch.auth.api import router as auth_router
from dispatch.clock import Clock, SystemClock
from dispatch.database import Database
from dispatch.error_handlers import install_error_handlers
from dispatch.handovers.api import router as handovers_router
from dispatch.knowledge.api import router as knowledge_router
from dispatch.knowledge.search import ShelfCopy
from dispatch.limits import BodySizeLimit
from dispatch.live.wiring import install_live
from dispatch.meetings.api import router as meetings_router
from dispatch.meetings.notices import install_notices
from dispatch.orders.api import router as orders_router
from dispatch.orders.notices import install_hand_over_notices
from dispatch.patrol.api import router as patrol_router
from dispatch.patrol.notices import install_report_notices
from dispatch.photos.api import PHOTO_UPLOAD_PATH
from dispatch.photos.api import router as photos_router
from dispatch.places.api import router as places_router
from dispatch.residents.api import router as residents_router
from dispatch.routing.api import router as routing_router
from dispatch.routing.loader import RulesRegistry, vocabulary_from_config
from dispatch.routing.sharing import RulesSharing
from dispatch.settings import Settings, get_settings
from dispatch.status.api import router as status_router
from dispatch.teams.api import router as teams_router
from dispatch.teams.service import CoverageCache
from dispatch.teams.signals import forget_team_copies, team_change_listener
from dispatch.wal import WalCheckpoints
from dispatch.web.wiring import install_web

log = logging.getLogger(__name__)


class BackgroundService(Protocol):
    """Something an extension runs beside the API (the scheduler, the push hub's listener)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


# (app, db, settings, clock) -> services to start and stop with the app.
Extension = Callable[[FastAPI, Database, Settings, Clock], list[BackgroundService]]


def default_extensions() -> list[Extension]:
    """The packages built on dispatch, found by name: dispatch never imports them itself."""
    extensions: list[Extension] = []
    for module_name in ("escalation.wiring", "hotline.wiring"):
        if importlib.util.find_spec(module_name) is not None:
            extensions.append(importlib.import_module(module_name).install)
    return extensions


async def run_background_services(app: FastAPI) -> None:
    """The app's lifespan without HTTP (the `dispatch scheduler` process): until SIGTERM."""
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    async with app.router.lifespan_context(app):
        await stopped.wait()


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    extensions: list[Extension] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    db = database or Database(settings.database_url)
    rules = RulesRegistry(
        settings.config_dir / "rules.yaml", vocabulary_from_config(settings.config_dir)
    )

    services: list[BackgroundService] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for service in services:
            await service.start()
        try:
            yield
        finally:
            for service in reversed(services):
                await service.stop()
            db.dispose()

    app = FastAPI(
        title="24小时民生服务热线 · Hotline dispatch desk",
        version="0.1.0",
        description=(
            "Work orders (工单) from phone, SMS, 12345 and Open311, routed by rules to the team "
            "that owns them, with a full timeline (民情日志). Log in at `/api/v1/auth/login`."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.clock = clock or SystemClock()
    app.state.rules = rules
    app.state.coverage = CoverageCache()
    app.state.knowledge = ShelfCopy()  # the 知识库 entries, segmented, for searches
    app.state.status_checks = []  # extensions add theirs (GET /api/v1/status)
    app.state.handover_queues = {}  # extensions add theirs to the 交接班 snapshot, by name
    # Extensions add theirs: where else a team is named, which keeps it in service.
    app.state.team_references = []
    install_error_handlers(app)
    photos = (PHOTO_UPLOAD_PATH, settings.max_photo_bytes)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, larger=[photos])
    for router in (
        auth_router,
        orders_router,
        photos_router,
        meetings_router,
        patrol_router,
        routing_router,
        teams_router,
        places_router,
        residents_router,
        knowledge_router,
        handovers_router,
        audit_router,
        status_router,
    ):
        app.include_router(router)
    # A meeting called or called off reaches the invited teams' leaders by push and SMS.
    install_notices(db.bus, settings.timezone)
    # An order a leader hands to a member (组内派工) reaches that member by push and SMS.
    install_hand_over_notices(db.bus)
    # A field worker hears how their own patrol report ended (巡查上报).
    install_report_notices(db.bus)
    # The rules in force are the database's: every instance routes by the same ones.
    services.append(RulesSharing(rules, db, app.state.clock, settings.rules_recheck_seconds))
    if not db.is_sqlite:  # another instance's team change: forget the copies at once
        services.append(team_change_listener(db.url, lambda: forget_team_copies(app.state)))
    if db.is_sqlite:  # the log's copy into the file, off the request path
        services.append(WalCheckpoints(db))
    # Live push hub: /ws and the event-log tailer (dispatch/live).
    services.append(install_live(app, db, settings))
    # The pages (dispatch/web): console, team page, board, order timeline; report API.
    install_web(app)

    clock = app.state.clock
    for install in default_extensions() if extensions is None else extensions:
        services.extend(install(app, db, settings, clock))

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers (also the trivial baseline endpoint of the bench)."""
        return {"status": "ok"}

    # The desk may have no internet: API docs are served from files shipped with the app.
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/login")

    return app
