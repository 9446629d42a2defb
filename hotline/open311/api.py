"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests; .json or .xml.

Errors come in the spec's own format (a list of {code, description}), not the desk's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from dispatch.deps import ClockDep, SessionDep, SettingsDep
from dispatch.errors import DomainError
from dispatch.orders.actors import Actor
from dispatch.orders.schemas import Address, Caller, OrderCreate
from dispatch.settings import Settings
from hotline.intake import IntakeDep
from hotline.open311 import service as georeport
from hotline.open311.render import FORMATS, Open311Error, render, render_error

PREFIX = "/open311/v2"
router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"])
OPEN311 = Actor.system("open311")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"unknown format {fmt!r}; use .json or .xml")
    return fmt


@router.get("/discovery.{fmt}")
def discovery(fmt: str, settings: SettingsDep) -> Response:
    fmt = _format(fmt)
    document = {
        "changeset": "2026-11-22T00:00:00+08:00",
        "contact": "黄河东路街道24小时民生服务热线",
        "key_service": "Ask the street office's hotline desk for an api_key.",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": settings.public_base_url.rstrip("/") + PREFIX,
                "changeset": "2026-11-22T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, document, root="discovery", item=None)


@router.get("/services.{fmt}")
def list_services(fmt: str, session: SessionDep) -> Response:
    fmt = _format(fmt)
    return render(fmt, georeport.services(session), root="services", item="service")


@router.get("/services/{service_code}.{fmt}")
def service_definition(service_code: str, fmt: str, session: SessionDep) -> Response:
    fmt = _format(fmt)
    category = georeport.find_service(session, service_code)
    if category is None:
        raise Open311Error(404, f"no service {service_code!r}", fmt)
    document = georeport.definition(session, category)
    return render(fmt, document, root="service_definition", item=None)


def _datetime(raw: str | None, name: str, zone: ZoneInfo, fmt: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, f"{name} is not a W3C date-time: {raw!r}", fmt) from exc
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


@router.get("/requests.{fmt}")
def list_requests(
    fmt: str, request: Request, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    fmt = _format(fmt)
    params = request.query_params
    zone = ZoneInfo(settings.timezone)
    statuses = _split(params.get("status"))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status must be open, closed or both", fmt)
    query = georeport.RequestQuery(
        ids=_split(params.get("service_request_id")),
        service_codes=_split(params.get("service_code")),
        start=_datetime(params.get("start_date"), "start_date", zone, fmt),
        end=_datetime(params.get("end_date"), "end_date", zone, fmt),
        statuses=statuses,
    )
    found = georeport.find_requests(session, query, clock.now())
    document = [georeport.as_request(session, o, settings.timezone) for o in found]
    return render(fmt, document, root="service_requests", item="request")


@router.get("/requests/{service_request_id}.{fmt}")
def get_request(
    service_request_id: str, fmt: str, session: SessionDep, settings: SettingsDep
) -> Response:
    fmt = _format(fmt)
    order = georeport.find_request(session, service_request_id)
    if order is None:
        raise Open311Error(404, f"no service request {service_request_id!r}", fmt)
    document = [georeport.as_request(session, order, settings.timezone)]
    return render(fmt, document, root="service_requests", item="request")


async def request_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _check_key(settings: Settings, given: str, fmt: str) -> None:
    keys = {k.strip() for k in settings.open311_api_keys.split(",") if k.strip()}
    if not given or given not in keys:
        raise Open311Error(403, "invalid or missing api_key", fmt)


def _new_order(form: dict[str, str], intake_phone: str | None, fmt: str) -> OrderCreate:
    description = form.get("description", "").strip()
    if not description:
        raise Open311Error(400, "description is required", fmt)
    lat, long = form.get("lat", "").strip(), form.get("long", "").strip()
    where = form.get("address_string", "").strip() or (f"{lat},{long}" if lat and long else "")
    compound = form.get("attribute[compound]", "").strip() or form.get("address_id", "").strip()
    if not where and not compound:
        raise Open311Error(
            400, "a location is required: lat & long, address_string or address_id", fmt
        )
    name = " ".join(p for p in (form.get("last_name"), form.get("first_name")) if p).strip()
    return OrderCreate(
        channel="open311",
        caller=Caller(name=name[:100] or None, phone=intake_phone),
        address=Address(
            compound=compound or None,
            building=form.get("attribute[building]", "").strip()[:64] or None,
            text=where[:500] or None,
        ),
        category=form.get("service_code", ""),
        description=description[:4000],
        tags=["open311"],
    )


@router.post("/requests.{fmt}", status_code=201)
def create_request(
    fmt: str,
    form: Annotated[dict[str, str], Depends(request_form)],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    intake: IntakeDep,
) -> Response:
    fmt = _format(fmt)
    _check_key(settings, form.get("api_key", ""), fmt)
    code = form.get("service_code", "")
    if not code or georeport.find_service(session, code) is None:
        raise Open311Error(400, f"service_code {code!r} is missing or unknown", fmt)
    data = _new_order(form, intake.phone_or_none(form.get("phone")), fmt)
    try:
        order = intake.create(session, data, actor=OPEN311, now=clock.now())
    except DomainError as exc:
        raise Open311Error(400, exc.message, fmt) from exc
    document = [
        {
            "service_request_id": order.number,
            "service_notice": "已受理，紧急情况请拨打110/119/120",
            "account_id": form.get("account_id") or None,
        }
    ]
    return render(fmt, document, root="service_requests", item="request", status=201)


def install_open311(app: FastAPI) -> None:
    async def open311_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Open311Error)
        return render_error(exc)

    app.add_exception_handler(Open311Error, open311_error)
    app.include_router(router)
