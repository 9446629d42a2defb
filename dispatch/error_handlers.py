"""One error shape for every failure: {"error": {"code", "message", "field"?, ...}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dispatch.errors import DomainError
from dispatch.limits import TooManyRequests

log = logging.getLogger(__name__)


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "")


def _field_of(error: Any) -> str:
    if error.get("type") == "json_invalid":
        return "body"  # its loc holds the character position, not a field
    return _field_path(tuple(error.get("loc", ())))


class FieldError(BaseModel):
    field: str
    reason: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # details such as retry_after travel here too

    code: str
    message: str
    field: str | None = None
    fields: list[FieldError] | None = None  # every field at fault, for validation errors


class ErrorBody(BaseModel):
    """What every error answer carries, whatever its status."""

    error: ErrorDetail


def _document_error_shape(app: FastAPI) -> None:
    """The API document names our error shape where FastAPI would name its own 422 body."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body.pop("$defs", {}))
        schemas["ErrorBody"] = body
        fastapi_body = "#/components/schemas/HTTPValidationError"
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                for answer in operation.get("responses", {}).values():
                    media = answer.get("content", {}).get("application/json", {})
                    if media.get("schema", {}).get("$ref") == fastapi_body:
                        media["schema"] = {"$ref": "#/components/schemas/ErrorBody"}
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _document_error_shape(app)

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        headers = None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        elif exc.status_code == 503:
            headers = {"Retry-After": "5"}
        return JSONResponse(exc.to_body(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": _field_of(e), "reason": e.get("msg", "invalid")} for e in exc.errors()]
        first = fields[0] if fields else {"field": "", "reason": "invalid request"}
        body = {
            "error": {
                "code": "validation_error",
                "message": f"{first['field']}: {first['reason']}",
                "field": first["field"],
                "fields": fields,
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            {"error": {"code": code, "message": str(exc.detail)}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc.orig)
        return JSONResponse(
            {"error": {"code": "unavailable", "message": "database unavailable, retry shortly"}},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    # Safety nets for values no schema bounded: a date whose UTC form falls outside the years
    # 1-9999, an integer too big for the database, a NUL character PostgreSQL cannot store.
    # The caller sent them, so the answer is a 422, whichever field it was.
    @app.exception_handler(OverflowError)
    async def out_of_range(_request: Request, exc: OverflowError) -> JSONResponse:
        log.warning("value out of range: %s", exc)
        message = "a number or date in the request is out of range"
        return JSONResponse({"error": {"code": "out_of_range", "message": message}}, 422)

    @app.exception_handler(StatementError)
    async def unbindable(request: Request, exc: StatementError) -> JSONResponse:
        # SQLAlchemy wraps what failed while binding a parameter, e.g. a date's UTC form.
        if isinstance(exc.orig, OverflowError):
            return await out_of_range(request, exc.orig)
        return await unexpected(request, exc)

    @app.exception_handler(DataError)
    async def unstorable(_request: Request, exc: DataError) -> JSONResponse:
        reason = str(exc.orig).splitlines()[0] if exc.orig else "invalid value"
        log.warning("value refused by the database: %s", reason)
        message = f"the database cannot take a value in the request: {reason}"
        return JSONResponse({"error": {"code": "invalid", "message": message}}, 422)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(
            {"error": {"code": "internal", "message": "internal error (a bug; it was logged)"}},
            status_code=500,
        )

    @app.exception_handler(DBAPIError)
    async def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            log.warning("database connection lost: %s", exc.orig)
            return JSONResponse(
                {
                    "error": {
                        "code": "unavailable",
                        "message": "database unavailable, retry shortly",
                    }
                },
                status_code=503,
                headers={"Retry-After": "5"},
            )
        log.exception("database error")
        return JSONResponse(
            {"error": {"code": "internal", "message": "internal error (a bug; it was logged)"}},
            status_code=500,
        )
