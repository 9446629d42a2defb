"""HTML routes: each page is a template of labels; its script reads the API and `/ws`.

Pages carry no data and need no login themselves: the script holds the token (from the
login page, in localStorage) and every API call checks it.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from dispatch.web.i18n import COOKIE, LOCALES, catalog, locale_of, normalise, translator

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


def render(request: Request, page: str, **context: object) -> HTMLResponse:
    locale = locale_of(request)
    t = translator(locale)
    other = next(loc for loc in LOCALES if loc != locale)
    response = templates.TemplateResponse(
        request,
        f"{page}.html",
        {
            "t": t,
            "page": page,
            "locale": locale,
            "timezone": request.app.state.settings.timezone,
            "other_locale": other,
            "other_locale_url": f"{request.url.path}?lang={other}",
            # "</" cannot end the <script> element early: it is written as "<\/".
            "catalog_json": json.dumps(catalog(locale), ensure_ascii=False).replace("</", "<\\/"),
            **context,
        },
    )
    chosen = normalise(request.query_params.get("lang"))
    if chosen is not None:
        response.set_cookie(COOKIE, chosen, max_age=ONE_YEAR, samesite="lax")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login")


@router.get("/console", response_class=HTMLResponse)
def console_page(request: Request) -> HTMLResponse:
    """话务台: new orders with a live routing preview, the triage queue, search, screen pops."""
    return render(request, "console")


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request) -> HTMLResponse:
    """The team leader's phone page: pushed assignments, accept, return, notes, resolve."""
    return render(request, "team")


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request) -> HTMLResponse:
    """督办看板: counts, late orders, the three rates, intake per hour, escalations."""
    return render(request, "board")


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> HTMLResponse:
    """报表: the three rates per team, category or community; the daily summary (日报)."""
    return render(request, "reports")


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    """人员管理 (admins): add users, change role or team, lock out, reset passwords."""
    return render(request, "users")


@router.get("/rota", response_class=HTMLResponse)
def rota_page(request: Request) -> HTMLResponse:
    """值班表: who leads each team now and its shifts; admins add and remove shifts."""
    return render(request, "rota")


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request) -> HTMLResponse:
    """派单规则: the rules in force, in order; admins reload the file."""
    return render(request, "rules")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request) -> HTMLResponse:
    """修改密码: anyone changes their own password."""
    return render(request, "account")


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_page(request: Request, number: str) -> HTMLResponse:
    """民情日志: the whole timeline of one order."""
    return render(request, "order", number=number)
