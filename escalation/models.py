"""Every table of the escalation package (and the notify port it writes to), imported once."""

from dispatch.notify.models import NotificationDelivery
from escalation.codes.models import AcceptCode
from escalation.extensions.models import ExtensionRequest
from escalation.recurring.models import RecurringRun
from escalation.timers.models import EscalationStep, OrderSla

__all__ = [
    "AcceptCode",
    "EscalationStep",
    "ExtensionRequest",
    "NotificationDelivery",
    "OrderSla",
    "RecurringRun",
]
