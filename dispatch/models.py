"""Every table of the dispatch package, imported once so the metadata is complete."""

from dispatch.audit.models import AdminAction
from dispatch.auth.models import EndedSession, User
from dispatch.categories.models import Category
from dispatch.events.models import OrderEvent
from dispatch.handovers.models import ShiftHandover
from dispatch.knowledge.models import KnowledgeEntry
from dispatch.meetings.models import ConsultationMeeting, MeetingOrder
from dispatch.orders.models import IdempotencyRecord, OrderAssignment, OrderCounter, WorkOrder
from dispatch.photos.models import OrderPhoto
from dispatch.places.models import Community, Compound
from dispatch.residents.models import AssistedResident
from dispatch.routing.models import RulesInForce, RulesVersion
from dispatch.tally import RequestTally
from dispatch.teams.models import DutyShift, Team, TeamCoverage

__all__ = [
    "AdminAction",
    "AssistedResident",
    "Category",
    "Community",
    "Compound",
    "ConsultationMeeting",
    "DutyShift",
    "EndedSession",
    "IdempotencyRecord",
    "KnowledgeEntry",
    "MeetingOrder",
    "OrderAssignment",
    "OrderCounter",
    "OrderEvent",
    "OrderPhoto",
    "RequestTally",
    "RulesInForce",
    "RulesVersion",
    "ShiftHandover",
    "Team",
    "TeamCoverage",
    "User",
    "WorkOrder",
]
