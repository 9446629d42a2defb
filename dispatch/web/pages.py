"""HTML routes: each page is a template of labels; its script reads the API and `/ws`.

Pages carry no data and need no login themselves: the script holds the token (from the
login page, in localStorage) and every API call checks it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


# Each page is its template and nothing more: path -> (template, what the page is for).
PAGES = {
    "/login": ("login", "Log in; on to the page of the user's role."),
    "/console": ("console", "话务台: new orders with a live routing preview, triage, screen pops."),
    "/team": ("team", "The team leader's phone page: assignments, accept, return, resolve."),
    "/board": ("board", "督办看板: counts, late orders, the three rates, escalations."),
    "/reports": ("reports", "报表: the three rates per team, category, community; 日报."),
    "/residents": ("residents", "帮扶对象: the register of residents the community looks after."),
    "/knowledge": (
        "knowledge",
        "知识库: the standard answers; supervisors add, change, retire them.",
    ),
    "/users": ("users", "人员管理 (admins): add, change, lock out, reset, sign out users."),
    "/rota": ("rota", "值班表: who leads each team now; admins add and remove shifts."),
    "/rules": ("rules", "派单规则: the rules in force, in order; admins reload the file."),
    "/account": ("account", "修改密码: anyone changes their own password."),
}


def _page(template: str) -> Callable[[Request], HTMLResponse]:
    def show(request: Request) -> HTMLResponse:
        return render(request, template)

    return show


for path, (template, purpose) in PAGES.items():
    router.add_api_route(
        path,
        _page(template),
        response_class=HTMLResponse,
        name=f"{template}_page",
        description=purpose,
    )


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_page(request: Request, number: str) -> HTMLResponse:
    """民情日志: the whole timeline of one order."""
    return render(request, "order", number=number)
