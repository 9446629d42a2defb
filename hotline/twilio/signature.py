"""Every Twilio webhook proves it came from Twilio (X-Twilio-Signature), or gets 403.

The URL signed is the public one Twilio called (settings.public_base_url + path + query),
so the check holds behind a proxy that rewrites host and scheme.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from twilio.request_validator import RequestValidator

from dispatch.errors import Forbidden
from dispatch.settings import Settings


def public_url(settings: Settings, path: str, query: str = "") -> str:
    url = settings.public_base_url.rstrip("/") + path
    return f"{url}?{query}" if query else url


async def verified_twilio_params(request: Request) -> dict[str, str]:
    """The webhook's form parameters, once the signature over them has been checked."""
    settings: Settings = request.app.state.settings
    form = await request.form()
    if settings.twilio_validate_signatures:  # settings refuse False in production
        if not settings.twilio_auth_token:
            raise Forbidden("Twilio webhooks are refused: no auth token is configured")
        signature = request.headers.get("X-Twilio-Signature", "")
        url = public_url(settings, request.url.path, request.url.query)
        validator = RequestValidator(settings.twilio_auth_token)
        if not signature or not validator.validate(url, form, signature):
            raise Forbidden("bad or missing X-Twilio-Signature")
    return {key: value for key, value in form.items() if isinstance(value, str)}


TwilioParams = Annotated[dict[str, str], Depends(verified_twilio_params)]
