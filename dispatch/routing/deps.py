"""The rules in force for this request, picked up anew if the file changed."""

from typing import Annotated

from fastapi import Depends, Request

from dispatch.deps import SessionDep
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import RulesRegistry
from dispatch.teams.service import CoverageCache, CoverageIndex


def get_registry(request: Request) -> RulesRegistry:
    registry: RulesRegistry = request.app.state.rules
    return registry


def current_rules(request: Request) -> RuleSet:
    return get_registry(request).reload_if_changed()


def get_coverage(request: Request, session: SessionDep) -> CoverageIndex:
    cache: CoverageCache = request.app.state.coverage
    return cache.get(session)


RulesDep = Annotated[RuleSet, Depends(current_rules)]
CoverageDep = Annotated[CoverageIndex, Depends(get_coverage)]
RegistryDep = Annotated[RulesRegistry, Depends(get_registry)]
