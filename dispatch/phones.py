"""Phone numbers: normalised to E.164 on the way in, masked for team roles on the way out."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from dispatch.errors import InvalidInput


def normalise_phone(raw: str, *, region: str = "CN", field: str = "caller.phone") -> str:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(f"not a phone number: {raw!r}", field=field) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(f"not a valid phone number: {raw!r}", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def takes_texts(e164: str) -> bool:
    """A mobile (or a number that may be one): a landline cannot be sent a text."""
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return False
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def mask_phone(e164: str | None) -> str | None:
    """+8613812345678 -> 138****5678: enough to recognise, not enough to call."""
    if not e164:
        return e164
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    if len(national) < 7:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"


# Mainland mobiles (with or without +86) and landlines with an area code.
_PHONE = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)|(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)"
)
_PHONE_KEY = re.compile(r"phone|mobile|tel|caller", re.IGNORECASE)
# A provider's identifier (Twilio's RecordingSid: RE + 32 hex digits) is no phone, though a
# run of its digits can read like one; masked, the team's player could not name it.
_IDENTIFIER_KEY = re.compile(r"sid$", re.IGNORECASE)


def _mask_text(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}****{match.group(2)}"
        return f"{match.group(3)}-********"

    return _PHONE.sub(repl, text)


def mask_phones(value: Any, *, key: str = "") -> Any:
    """The guard for team roles: no phone number leaves in event data, whatever its shape.

    Used for the pushes and the timeline: notes typed by the desk and screen pops carry
    numbers, and a later event kind may add more.
    """
    if isinstance(value, dict):
        return {k: mask_phones(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_phones(v, key=key) for v in value]
    if isinstance(value, str):
        if _IDENTIFIER_KEY.search(key):
            return value
        masked = _mask_text(value)
        if masked == value and _PHONE_KEY.search(key) and sum(c.isdigit() for c in value) >= 7:
            digits = [c for c in value if c.isdigit()]
            if len(digits) == 13 and value.lstrip().startswith(("+86", "86")):
                digits = digits[2:]
            return f"{''.join(digits[:3])}****{''.join(digits[-4:])}"
        return masked
    return value
