"""Plug the pages into the app: the page routes, the report API and the static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dispatch.reports.api import router as reports_router
from dispatch.web.pages import router as pages_router

STATIC = Path(__file__).resolve().parent / "static"


def install_web(app: FastAPI) -> None:
    app.include_router(pages_router)
    app.include_router(reports_router)
    # Everything the pages load (scripts, styles, ECharts, the alert sound) ships with the app.
    app.mount("/static/web", StaticFiles(directory=STATIC), name="web-static")
