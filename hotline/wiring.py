"""How the hotline plugs into the app: routes, the IVR script, the outbox and its worker."""

from __future__ import annotations

import importlib.util
from functools import partial

import httpx
from fastapi import FastAPI

from dispatch.clock import Clock
from dispatch.database import Database
from dispatch.limits import PathRateLimit
from dispatch.main import BackgroundService
from dispatch.settings import Settings
from hotline import models as _models  # noqa: F401  (complete metadata)
from hotline.open311.api import install_open311
from hotline.outbox import handover
from hotline.outbox.api import router as outbox_router
from hotline.outbox.destinations import SignedHttpDestination, SmsDestination
from hotline.outbox.events import record_outgoing
from hotline.outbox.worker import OutboxWorker
from hotline.police import referral as police
from hotline.sms import survey
from hotline.sms.accept_codes import find_accept_by_code
from hotline.sms.api import router as sms_router
from hotline.twilio.client import sms_sender
from hotline.twilio.recordings import TwilioRecordings
from hotline.upstream_12345 import feedback
from hotline.upstream_12345.api import router as upstream_router
from hotline.voice.api import router as voice_router
from hotline.voice.script import load_script
from hotline.voicemail.api import router as voicemail_router

OUTBOUND_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Public endpoints without a login: a flood from one address gets 429 (per API instance).
PUBLIC_PREFIXES = ("/hotline/", "/open311/")

# At import, before any extension installs: escalation builds its notifier in its own
# install, and HOTLINE_NOTIFIER=twilio and HOTLINE_PUSH_PROVIDER=wecom must be known by then.
if importlib.util.find_spec("dispatch.notify") is not None:
    from hotline.twilio.notifier import register as _register_twilio_notifier
    from hotline.wecom.notifier import register as _register_wecom_push

    _register_twilio_notifier()
    _register_wecom_push()


def outbox_worker(
    db: Database,
    settings: Settings,
    clock: Clock,
    *,
    transport: httpx.BaseTransport | None = None,
    sms: SmsDestination | None = None,
) -> OutboxWorker:
    """The worker with the three destinations; tests pass a mock transport (the outside)."""
    client = httpx.Client(transport=transport, timeout=OUTBOUND_TIMEOUT)
    return OutboxWorker(
        db,
        clock,
        {
            feedback.DESTINATION: SignedHttpDestination(
                settings.upstream_12345_url, settings.upstream_12345_secret, client
            ),
            police.DESTINATION: SignedHttpDestination(
                settings.police_platform_url,
                settings.police_platform_secret,
                client,
                header_prefix="X-Hotline",
            ),
            survey.DESTINATION: sms or SmsDestination(sms_sender(settings)),
        },
        after_delivery={police.DESTINATION: police.handed_to_police},
    )


def install(
    app: FastAPI, db: Database, settings: Settings, clock: Clock
) -> list[BackgroundService]:
    app.state.ivr_script = load_script(settings.config_dir / "ivr.yaml")
    app.state.accept_by_code = find_accept_by_code()
    app.state.handover_queues[handover.QUEUE] = handover.undelivered_to_platforms
    app.state.twilio_recordings = TwilioRecordings(settings)  # tests swap in a fake transport
    for router in (voice_router, voicemail_router, sms_router, upstream_router, outbox_router):
        app.include_router(router)
    install_open311(app)
    app.add_middleware(
        PathRateLimit,
        prefixes=PUBLIC_PREFIXES,
        limit=settings.public_requests_per_minute,
        db=db,
    )

    db.bus.on_recorded_once("hotline_outbox", partial(record_outgoing, settings=settings))
    worker = outbox_worker(db, settings, clock)
    app.state.outbox_worker = worker
    if not settings.run_scheduler_in_process:
        return []  # another process (`dispatch scheduler`) delivers the outbox
    db.bus.on_committed(worker.wake)
    return [worker]
