"""Who may call what: one line per route of the app, read by the matrix test and the fuzzer.

A route the app serves that has no line here fails the matrix test, so a new endpoint
cannot ship without someone deciding who may call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Gate(StrEnum):
    """How a route decides who may call it."""

    token = "bearer token and a role"
    open = "open to anyone (pages, docs, health, login)"
    twilio = "X-Twilio-Signature (403 without it)"
    upstream = "X-12345-Signature over timestamp.body (401 without it)"
    photo_link = "a link we sent 12345: expires and sig in the query (403 without them)"
    open311_key = "Open311 api_key in the form (403 without it)"
    open311_read = "Open311 reads: public by the GeoReport spec, confidential orders left out"


OPERATOR = "operator"
LEADER = "team_leader"
MEMBER = "team_member"
SUPERVISOR = "supervisor"
ADMIN = "admin"

EVERYONE = frozenset({OPERATOR, LEADER, MEMBER, SUPERVISOR, ADMIN})
DESK = frozenset({OPERATOR, SUPERVISOR, ADMIN})  # dispatch.deps.Operator
SUPERVISORS = frozenset({SUPERVISOR, ADMIN})
ADMINS = frozenset({ADMIN})
TEAM = frozenset({LEADER, MEMBER})
LEADERS = frozenset({LEADER})


@dataclass(frozen=True)
class Rule:
    gate: Gate
    roles: frozenset[str] = frozenset()


def token(roles: frozenset[str]) -> Rule:
    return Rule(Gate.token, roles)


OPEN = Rule(Gate.open)
TWILIO = Rule(Gate.twilio)

# (method, path) -> rule. Paths as the app declares them; mounts under ("MOUNT", path).
ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): OPEN,
    ("GET", "/docs"): OPEN,
    ("GET", "/"): OPEN,
    ("GET", "/healthz"): OPEN,
    ("MOUNT", "/static/swagger"): OPEN,
    ("MOUNT", "/static/web"): OPEN,
    # Pages are templates of labels: their scripts call the API with the token.
    ("GET", "/login"): OPEN,
    ("GET", "/console"): OPEN,
    ("GET", "/team"): OPEN,
    ("GET", "/board"): OPEN,
    ("GET", "/reports"): OPEN,
    ("GET", "/users"): OPEN,
    ("GET", "/residents"): OPEN,
    ("GET", "/knowledge"): OPEN,
    ("GET", "/account"): OPEN,
    ("GET", "/rota"): OPEN,
    ("GET", "/rules"): OPEN,
    ("GET", "/orders/{number}"): OPEN,
    # auth
    ("POST", "/api/v1/auth/login"): OPEN,
    ("POST", "/api/v1/auth/token"): OPEN,
    ("GET", "/api/v1/auth/me"): token(EVERYONE),
    ("POST", "/api/v1/auth/refresh"): token(EVERYONE),
    ("POST", "/api/v1/auth/logout"): token(EVERYONE),
    ("POST", "/api/v1/auth/password"): token(EVERYONE),
    ("GET", "/api/v1/users"): token(ADMINS),
    ("POST", "/api/v1/users"): token(ADMINS),
    ("PATCH", "/api/v1/users/{username}"): token(ADMINS),
    ("PUT", "/api/v1/users/{username}/password"): token(ADMINS),
    ("POST", "/api/v1/users/{username}/sign-out"): token(ADMINS),
    # work orders
    ("POST", "/api/v1/orders"): token(DESK),
    ("GET", "/api/v1/orders"): token(EVERYONE),
    ("GET", "/api/v1/orders/{ref}"): token(EVERYONE),
    ("PATCH", "/api/v1/orders/{ref}"): token(DESK),
    ("GET", "/api/v1/orders/{ref}/timeline"): token(EVERYONE),
    ("POST", "/api/v1/orders/{ref}/answer"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/dispatch"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/accept"): token(LEADERS),
    ("POST", "/api/v1/orders/{ref}/start"): token(TEAM),
    ("POST", "/api/v1/orders/{ref}/return"): token(LEADERS),
    ("POST", "/api/v1/orders/{ref}/hand-over"): token(LEADERS),
    ("POST", "/api/v1/orders/{ref}/notes"): token(EVERYONE),
    ("POST", "/api/v1/orders/{ref}/photos"): token(EVERYONE),
    ("GET", "/api/v1/orders/{ref}/photos"): token(EVERYONE),
    ("GET", "/api/v1/orders/{ref}/photos/{photo_id}"): token(EVERYONE),
    ("POST", "/api/v1/orders/{ref}/meetings"): token(SUPERVISORS),
    ("GET", "/api/v1/orders/{ref}/meetings"): token(EVERYONE),
    ("GET", "/api/v1/meetings"): token(EVERYONE),
    # 巡查上报: field workers report from their phones; the desk uses its own form.
    ("POST", "/api/v1/patrol-reports"): token(TEAM),
    ("GET", "/api/v1/patrol-reports"): token(TEAM),
    ("GET", "/api/v1/meetings/{meeting_id}"): token(EVERYONE),
    ("POST", "/api/v1/meetings/{meeting_id}/reschedule"): token(SUPERVISORS),
    ("POST", "/api/v1/meetings/{meeting_id}/outcome"): token(SUPERVISORS),
    ("POST", "/api/v1/meetings/{meeting_id}/cancel"): token(SUPERVISORS),
    ("POST", "/api/v1/orders/{ref}/resolve"): token(TEAM),
    ("POST", "/api/v1/orders/{ref}/callback"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/close"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/reopen"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/cancel"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/merge"): token(DESK),
    ("POST", "/api/v1/orders/{ref}/reassign"): token(SUPERVISORS),
    ("POST", "/api/v1/orders/{ref}/teams"): token(SUPERVISORS),
    ("POST", "/api/v1/orders/{ref}/urge"): token(SUPERVISORS),
    ("POST", "/api/v1/orders/{ref}/extend"): token(SUPERVISORS),
    # routing, teams, places, residents
    ("POST", "/api/v1/routing/preview"): token(DESK),
    ("GET", "/api/v1/routing/rules"): token(EVERYONE),
    ("POST", "/api/v1/routing/reload"): token(ADMINS),
    ("GET", "/api/v1/routing/rules/file"): token(SUPERVISORS),
    ("POST", "/api/v1/routing/rules/check"): token(ADMINS),
    ("PUT", "/api/v1/routing/rules/file"): token(ADMINS),
    ("GET", "/api/v1/routing/rules/versions"): token(SUPERVISORS),
    ("GET", "/api/v1/routing/rules/versions/{version}"): token(SUPERVISORS),
    ("GET", "/api/v1/teams"): token(EVERYONE),
    ("POST", "/api/v1/teams"): token(ADMINS),
    ("PUT", "/api/v1/teams/{code}/coverage"): token(ADMINS),
    ("POST", "/api/v1/teams/{code}/rota"): token(ADMINS),
    ("PUT", "/api/v1/teams/{code}/rota"): token(ADMINS),
    ("DELETE", "/api/v1/teams/{code}/rota/{shift_id}"): token(ADMINS),
    ("PATCH", "/api/v1/teams/{code}"): token(ADMINS),
    # the team's own leader: another team's members are 404, as its orders are
    ("GET", "/api/v1/teams/{code}/members"): token(LEADERS),
    ("GET", "/api/v1/admin-log"): token(ADMINS),
    ("GET", "/api/v1/status"): token(SUPERVISORS),
    ("GET", "/readyz"): OPEN,
    ("GET", "/api/v1/communities"): token(EVERYONE),
    ("GET", "/api/v1/categories"): token(EVERYONE),
    ("GET", "/api/v1/residents"): token(DESK),
    ("GET", "/api/v1/residents/{phone}"): token(DESK),
    ("PATCH", "/api/v1/residents/{phone}"): token(DESK),
    ("POST", "/api/v1/residents"): token(DESK),
    # 知识库: the desk searches it while answering; supervisors keep it
    ("GET", "/api/v1/knowledge"): token(DESK),
    ("POST", "/api/v1/knowledge"): token(SUPERVISORS),
    ("PATCH", "/api/v1/knowledge/{entry_id}"): token(SUPERVISORS),
    # 交接班: the desk's own notes from shift to shift
    ("POST", "/api/v1/handovers"): token(DESK),
    ("GET", "/api/v1/handovers"): token(DESK),
    ("GET", "/api/v1/handovers/snapshot"): token(DESK),
    ("POST", "/api/v1/handovers/{handover_id}/receive"): token(DESK),
    # reports
    ("GET", "/api/v1/reports/teams"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/teams.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/categories"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/categories.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/communities"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/communities.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/hotspots"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/hotspots.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/worklog"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/worklog.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/patrol"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/patrol.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/operators"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/operators.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/daily"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/daily.{ext}"): token(SUPERVISORS),
    ("GET", "/api/v1/reports/board"): token(SUPERVISORS),
    # escalation
    ("GET", "/api/v1/escalation/orders/{ref}"): token(EVERYONE),
    ("GET", "/api/v1/escalation/due-soon"): token(SUPERVISORS),
    ("POST", "/api/v1/escalation/orders/{ref}/extension-requests"): token(TEAM),
    ("GET", "/api/v1/escalation/extension-requests"): token(SUPERVISORS),
    ("POST", "/api/v1/escalation/extension-requests/{request_id}/grant"): token(SUPERVISORS),
    ("POST", "/api/v1/escalation/extension-requests/{request_id}/refuse"): token(SUPERVISORS),
    # hotline: Twilio, 12345, the outbox, Open311
    ("POST", "/hotline/voice/incoming"): TWILIO,
    ("POST", "/hotline/voice/menu"): TWILIO,
    ("POST", "/hotline/voice/speech"): TWILIO,
    ("POST", "/hotline/voice/wait"): TWILIO,
    ("POST", "/hotline/voice/queue-exit"): TWILIO,
    ("POST", "/hotline/voice/voicemail"): TWILIO,
    ("POST", "/hotline/voice/recording"): TWILIO,
    ("POST", "/hotline/voice/transcription"): TWILIO,
    ("POST", "/hotline/voice/status"): TWILIO,
    # 语音留言: whoever sees the order hears its voicemail (audio fetched from Twilio)
    ("GET", "/api/v1/orders/{ref}/recordings/{recording_sid}"): token(EVERYONE),
    ("POST", "/hotline/sms/incoming"): TWILIO,
    ("POST", "/hotline/12345/orders"): Rule(Gate.upstream),
    ("GET", "/hotline/12345/photos/{photo_id}"): Rule(Gate.photo_link),
    ("GET", "/api/v1/outbox"): token(SUPERVISORS),
    ("POST", "/api/v1/outbox/{message_id}/retry"): token(SUPERVISORS),
    ("GET", "/open311/v2/discovery.{fmt}"): Rule(Gate.open311_read),
    ("GET", "/open311/v2/services.{fmt}"): Rule(Gate.open311_read),
    ("GET", "/open311/v2/services/{service_code}.{fmt}"): Rule(Gate.open311_read),
    ("GET", "/open311/v2/requests.{fmt}"): Rule(Gate.open311_read),
    ("GET", "/open311/v2/requests/{service_request_id}.{fmt}"): Rule(Gate.open311_read),
    ("POST", "/open311/v2/requests.{fmt}"): Rule(Gate.open311_key),
    # the push socket: the token in the query or the first message
    ("WEBSOCKET", "/ws"): token(EVERYONE),
}


def rule_for(method: str, path: str) -> Rule:
    return ROUTES[(method, path)]


# Order-scoped routes about a thing the security desk's order has none of (a voicemail needs
# a phone call): whoever sees the order hears that the thing is missing, by its field.
MISSING_ON_THE_DESK: dict[str, str] = {
    "/api/v1/orders/{ref}/recordings/{recording_sid}": "recording_sid",
}


def is_order_scoped(path: str) -> bool:
    """`{ref}` routes are about one work order: another team's is as good as missing."""
    return "{ref}" in path
