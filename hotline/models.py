"""Every table of the hotline package, imported once so the metadata is complete."""

from hotline.outbox.models import OutboxMessage
from hotline.sms.models import SmsMessage
from hotline.upstream_12345.models import UpstreamOrder
from hotline.voice.models import CallRecord

__all__ = ["CallRecord", "OutboxMessage", "SmsMessage", "UpstreamOrder"]
