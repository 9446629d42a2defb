"""Phone numbers: normalised to E.164 on the way in, masked for team roles on the way out."""

from __future__ import annotations

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


def mask_phone(e164: str | None) -> str | None:
    """+8613812345678 -> 138****5678: enough to recognise, not enough to call."""
    if not e164:
        return e164
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    if len(national) < 7:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"
