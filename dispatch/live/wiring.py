"""Plug the push hub into the app: the `/ws` route and the hub as a background service."""

from __future__ import annotations

from fastapi import FastAPI

from dispatch.database import Database
from dispatch.live.api import router
from dispatch.live.config import LiveConfig
from dispatch.live.hub import LiveHub
from dispatch.settings import Settings


def install_live(app: FastAPI, db: Database, settings: Settings) -> LiveHub:
    """Call after app.state.clock is set; start and stop the returned hub with the app."""
    config = LiveConfig.from_settings(settings)
    hub = LiveHub(db, app.state.clock, config, secret=settings.secret_key)
    app.state.live_hub = hub
    app.include_router(router)
    return hub
