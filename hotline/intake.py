"""Orders arriving from outside (phone, SMS, 12345, Open311) go through the core's intake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from dispatch.deps import SettingsDep
from dispatch.errors import InvalidInput
from dispatch.orders.actors import Actor
from dispatch.orders.models import WorkOrder
from dispatch.orders.schemas import OrderCreate
from dispatch.orders.service import create_order
from dispatch.phones import normalise_phone
from dispatch.routing.deps import CoverageDep, RulesDep
from dispatch.routing.engine import Coverage, RuleSet
from dispatch.settings import Settings


@dataclass(frozen=True)
class Intake:
    """What create_order needs besides the order: the rules, coverage and settings in force."""

    rules: RuleSet
    coverage: Coverage
    settings: Settings

    def create(
        self, session: Session, data: OrderCreate, *, actor: Actor, now: datetime
    ) -> WorkOrder:
        return create_order(
            session,
            data,
            actor=actor,
            now=now,
            rules=self.rules,
            coverage=self.coverage,
            timezone=self.settings.timezone,
            region=self.settings.default_region,
            number_prefix=self.settings.order_number_prefix,
        )

    def phone_or_none(self, raw: str | None) -> str | None:
        """A caller's number in E.164, or None when it is missing or not a real number."""
        if not raw:
            return None
        try:
            return normalise_phone(raw, region=self.settings.default_region)
        except InvalidInput:
            return None


def get_intake(rules: RulesDep, coverage: CoverageDep, settings: SettingsDep) -> Intake:
    return Intake(rules=rules, coverage=coverage, settings=settings)


IntakeDep = Annotated[Intake, Depends(get_intake)]
