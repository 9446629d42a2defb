"""Property-based fuzzing of the whole HTTP API from its OpenAPI schema (schemathesis).

A fixed, seeded budget on SQLite with the demo world: every generated request, valid or
not, gets an answer below 500, and every error answer comes in the one error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance

from dispatch.main import create_app
from dispatch.settings import Settings
from tests import run_figures
from tests.security.access import ROUTES, Gate
from tests.security.desk import Desk, running_desk

EXAMPLES_PER_OPERATION = 6
# Who calls each route: the first of these the access table lets in.
CALLERS = (
    ("supervisor.zhang", "supervisor"),
    ("operator.li", "operator"),
    ("admin", "admin"),
    ("leader.jindi", "team_leader"),
)
# Open311 answers in its own spec's error format (a list of {code, description}).
OWN_ERROR_FORMAT = ("/open311/",)

# Printed at the end of the run (tests/run_figures.py); requests also counted by phase.
tally = run_figures.fuzz


@pytest.fixture(scope="module")
def fuzz_desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    with running_desk("sqlite", request, tmp_path_factory.mktemp("fuzz")) as desk:
        yield desk


@pytest.fixture(scope="module")
def asgi_session(fuzz_desk: Desk) -> Any:
    """Calls the desk's app in-process without entering it: its test client runs the lifespan."""
    return asgi.get_client(fuzz_desk.client.app)


def _api_document() -> dict[str, Any]:
    """The OpenAPI document, read from an app that is built but never started or connected."""
    app = create_app(Settings(environment="test", database_url="sqlite://"))
    return app.openapi()


schema = schemathesis.openapi.from_dict(_api_document())
# One method no route serves is enough to check the 405s; the rest of the budget goes to data.
schema.config.phases.coverage.unexpected_methods = {"PATCH"}


def caller_headers(desk: Desk, method: str, path: str) -> dict[str, str]:
    rule = ROUTES[(method, path)]
    if rule.gate is not Gate.token:
        return {}
    username = next(name for name, role in CALLERS if role in rule.roles)
    return desk.bearer(username, path)


def error_shape_problem(path: str, response: Any) -> str | None:
    if response.status_code < 400 or path.startswith(OWN_ERROR_FORMAT):
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} is not JSON: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not {"code", "message"} <= error.keys():
        return f"{response.status_code} body is not {{'error': {{code, message}}}}: {body!r}"
    return None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_and_every_error_has_the_one_shape(
    case: Case, fuzz_desk: Desk, asgi_session: Any
) -> None:
    method, path = case.operation.method.upper(), case.operation.path
    headers = caller_headers(fuzz_desk, method, path)
    tally["requests"] += 1
    tally[f"phase {case.meta.phase.name}" if case.meta else "phase unknown"] += 1
    try:
        response = case.call(base_url="http://testserver", session=asgi_session, headers=headers)
    except Exception:  # the app's 500 handler answers, then re-raises into the test client
        tally["server_errors"] += 1
        raise
    if response.status_code >= 500:
        tally["server_errors"] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    problem = error_shape_problem(path, response)
    if problem:
        tally["bad_shapes"] += 1
    assert problem is None, problem
