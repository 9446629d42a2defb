"""The rules in force for this request, picked up anew if the file changed."""

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from dispatch.deps import SessionDep
from dispatch.routing.engine import RuleSet
from dispatch.routing.loader import RulesRegistry
from dispatch.teams.service import CoverageCache, CoverageIndex


async def get_registry(request: Request) -> RulesRegistry:
    registry: RulesRegistry = request.app.state.rules
    return registry


async def current_rules(registry: Annotated[RulesRegistry, Depends(get_registry)]) -> RuleSet:
    """One stat on the event loop; only an edited file is read, in a worker thread."""
    if registry.file_unchanged():
        return registry.current
    return await run_in_threadpool(registry.reload_if_changed)


async def get_coverage(request: Request, session: SessionDep) -> CoverageIndex:
    """From the cache on the event loop; only a stale cache costs a trip to a worker thread."""
    cache: CoverageCache = request.app.state.coverage
    index = cache.fresh()
    return index if index is not None else await run_in_threadpool(cache.get, session)


RulesDep = Annotated[RuleSet, Depends(current_rules)]
CoverageDep = Annotated[CoverageIndex, Depends(get_coverage)]
RegistryDep = Annotated[RulesRegistry, Depends(get_registry)]
