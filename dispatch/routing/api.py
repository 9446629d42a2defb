"""HTTP routes for the rules: preview where an order would go, what is in force, reload,
edit the file, and the texts it has had."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from dispatch.audit.api import Audit
from dispatch.audit.models import AdminActionKind
from dispatch.deps import (
    Admin,
    ClockDep,
    CurrentUser,
    Operator,
    SessionDep,
    SettingsDep,
    Supervisor,
)
from dispatch.orders import service as orders
from dispatch.orders.models import Priority
from dispatch.orders.schemas import RoutingPreview, RoutingPublic
from dispatch.routing import editing, history
from dispatch.routing.deps import CoverageDep, RegistryDep, RulesDep
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import RulesRegistry
from dispatch.routing.models import RulesVersion
from dispatch.routing.rules import Rule
from dispatch.teams.service import teams_out_of_service

router = APIRouter(prefix="/api/v1/routing", tags=["routing rules"])


class RulePublic(BaseModel):
    """One rule as the file says it; `when` and `then` hold only what the rule sets."""

    id: str
    name: str
    continues: bool  # `continue: true`: it only adds priority or tags, later rules decide
    when: dict[str, Any]
    then: dict[str, Any]

    @classmethod
    def of(cls, rule: Rule) -> RulePublic:
        return cls(
            id=rule.id,
            name=rule.name,
            continues=rule.continue_,
            when=rule.when.model_dump(mode="json", by_alias=True, exclude_none=True),
            then=rule.then.model_dump(mode="json", exclude_defaults=True),
        )


class RulesStatus(BaseModel):
    source: str
    version: str
    rules: int
    last_error: str | None
    items: list[RulePublic]  # the enabled rules, in the order they are tried


def _status(current: RuleSet, last_error: str | None) -> RulesStatus:
    return RulesStatus(
        source=current.source,
        version=current.version,
        rules=len(current),
        last_error=last_error,
        items=[RulePublic.of(r) for r in current.rules],
    )


@router.post("/preview", response_model=RoutingPublic)
def preview(
    data: RoutingPreview,
    session: SessionDep,
    user: Operator,
    clock: ClockDep,
    settings: SettingsDep,
    rules: RulesDep,
    coverage: CoverageDep,
) -> RoutingPublic:
    """Where this order would go and why, without creating it."""
    decision = orders.preview_routing(
        session,
        data,
        now=clock.now(),
        rules=rules,
        coverage=coverage,
        region=settings.default_region,
    )
    return RoutingPublic(
        rule_id=decision.rule_id,
        rule_name=decision.rule_name,
        matched=list(decision.matched),
        rules_version=rules.version,
        lead_team=decision.lead_team,
        assist_teams=list(decision.assist_teams),
        priority=Priority(decision.priority) if decision.priority else None,
        sla_policy=decision.sla_policy,
        tags=list(decision.tags),
        police_matter=decision.police_matter,
        to_triage=decision.to_triage,
    )


@router.get("/rules", response_model=RulesStatus)
def rules_in_force(registry: RegistryDep, user: CurrentUser) -> RulesStatus:
    current = registry.reload_if_changed()
    error = registry.last_error
    return _status(current, str(error) if error else None)


@router.post("/reload", response_model=RulesStatus)
def reload_rules(
    registry: RegistryDep, user: Admin, audit: Audit, session: SessionDep
) -> RulesStatus:
    """Load this instance's rules file now and put it in force on every instance; a broken
    file is refused and the rules in force keep running."""
    current = editing.reload_file(session, registry, now=audit.clock.now())
    status = _status(current, None)
    logged = status.model_dump(include={"source", "version", "rules"})
    audit.record(AdminActionKind.rules_reloaded, Path(current.source).name, **logged)
    return status


class RulesFilePublic(BaseModel):
    source: str = Field(examples=["rules.yaml"])
    text: str
    version: str = Field(
        description="the rules in force, which a save replaces: send it back as `based_on`"
    )


class RulesTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200_000)


class RulesFileSave(RulesTextIn):
    based_on: str = Field(
        min_length=1, max_length=64, description="the `version` of the text that was edited"
    )


@router.get("/rules/file", response_model=RulesFilePublic)
def rules_file(registry: RegistryDep, user: Supervisor, session: SessionDep) -> RulesFilePublic:
    """The rules in force, to edit them; this instance's file instead when it was refused."""
    found = editing.rules_text(session, registry)
    return RulesFilePublic(source=found.source, text=found.text, version=found.version)


@router.post("/rules/check", response_model=RulesStatus)
def check_rules(
    body: RulesTextIn, registry: RegistryDep, user: Admin, session: SessionDep
) -> RulesStatus:
    """The rules this text would put in force, without saving it; 422 names the line at fault
    (also a rule naming a team taken out of service)."""
    checked = editing.check_text(registry, body.text, teams_out_of_service(session))
    return _status(checked, None)


@router.put("/rules/file", response_model=RulesStatus)
def save_rules_file(
    body: RulesFileSave, registry: RegistryDep, user: Admin, audit: Audit, session: SessionDep
) -> RulesStatus:
    """Put the text in force on every instance at once and write it to the rules file;
    refused whole (422 with the line, or 409 if someone changed the rules since `based_on`),
    the rules in force keep running. The text it replaced stays among the kept versions (and
    beside the file as `rules.yaml.previous`)."""
    fresh = editing.save_text(
        session,
        registry,
        body.text,
        body.based_on,
        out_of_service=teams_out_of_service(session),
        now=audit.clock.now(),
        saved_by=user.username,
    )
    status = _status(fresh, None)
    audit.record(
        AdminActionKind.rules_changed,
        Path(fresh.source).name,
        version=fresh.version,
        replaced=body.based_on,  # the rules in force, which save_text checked it still was
        rules=len(fresh),
    )
    return status


class RulesVersionPublic(BaseModel):
    version: str = Field(examples=["3f9c2a1b7d04"])
    rules: int = Field(description="enabled rules in it")
    kept_at: datetime
    saved_by: str | None = Field(
        description="who saved it on the desk; null for a text found in force (edited by hand)"
    )
    in_force: bool


class RulesVersionText(RulesVersionPublic):
    text: str


def _version_public(found: RulesVersion, registry: RulesRegistry) -> dict[str, object]:
    shown = found.model_dump(include={"version", "rules", "kept_at", "saved_by"})
    return {**shown, "in_force": found.version == registry.current.version}


@router.get("/rules/versions", response_model=list[RulesVersionPublic])
def rules_versions(
    registry: RegistryDep, user: Supervisor, session: SessionDep
) -> list[RulesVersionPublic]:
    """The rules texts put in force from the desk and the ones they replaced, newest first:
    an order's `routing.rules_version` names the one that routed it."""
    found = history.versions(session, limit=100)
    return [RulesVersionPublic.model_validate(_version_public(v, registry)) for v in found]


@router.get("/rules/versions/{version}", response_model=RulesVersionText)
def rules_version(
    version: Annotated[str, PathParam(max_length=64)],
    registry: RegistryDep,
    user: Supervisor,
    session: SessionDep,
) -> RulesVersionText:
    """One kept text, e.g. to open it in the editor and save it back (restore)."""
    found = history.version_text(session, version)
    return RulesVersionText.model_validate({**_version_public(found, registry), "text": found.text})
