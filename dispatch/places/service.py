"""What the rest of the desk asks of places: is this code one of ours, and how does an
order's place read as a line of text. No HTTP here."""

from __future__ import annotations

from sqlmodel import Session

from dispatch.errors import InvalidInput
from dispatch.places.models import Community, Compound
from dispatch.reference import reference_row


def require_community(
    session: Session, code: str, *, field: str = "community", **details: str
) -> Community:
    """The community under `code`, or a 422 on `field` naming the code."""
    community = reference_row(session, Community, code)
    if community is None:
        raise InvalidInput(f"unknown community {code!r}", field=field, **details)
    return community


def require_compound(session: Session, code: str, *, field: str = "compound") -> Compound:
    """The compound under `code`, or a 422 on `field` naming the code."""
    compound = reference_row(session, Compound, code)
    if compound is None:
        raise InvalidInput(f"unknown compound {code!r}", field=field)
    return compound


def area_name(session: Session, compound: str | None, community: str | None = None) -> str:
    """The compound's name, else the community's: the area as a resident names it. A code no
    longer on file is shown as it is rather than dropped, so the reader still has a clue."""
    if compound:
        row: Compound | Community | None = reference_row(session, Compound, compound)
        return row.name if row else compound
    if community:
        row = reference_row(session, Community, community)
        return row.name if row else community
    return ""


def place_line(
    *names: str | None,
    building: str | None,
    said: str | None,
    glue: str = "",
    sep: str = " ",
) -> str:
    """A place as one line: the area names from the widest down, the building right after the
    nearest of them (`glue` between), then what the caller said of the place. What is not
    known is left out with its separator, so a line never starts or ends with one.

    Each reader chooses the names and separators: an SMS says 金地花园D区8号楼 as a person
    would, the printed work log adds the community before the compound, Open311 keeps the
    building a word of its own."""
    *wider, nearest = names or (None,)
    here = glue.join(part for part in (nearest, building) if part)
    return sep.join(part for part in (*wider, here, said) if part)
