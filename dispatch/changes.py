"""Applying a partial change to a row and saying what changed, fit for the admin log."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlmodel import SQLModel


def apply_changes(
    row: SQLModel,
    wanted: dict[str, Any],
    *,
    clearable: Collection[str] = (),
    private: Collection[str] = (),
) -> dict[str, Any]:
    """Set each attribute to its wanted value. None leaves an attribute as it is, except the
    `clearable` ones (a code the caller cleared). Returns what changed, keyed without `_code`;
    the `private` keys (long or personal texts) are said only to have "changed"."""
    changed: dict[str, Any] = {}
    for attribute, value in wanted.items():
        if value is None and attribute not in clearable:
            continue
        if getattr(row, attribute) == value:
            continue
        setattr(row, attribute, value)
        key = attribute.removesuffix("_code")
        changed[key] = "changed" if key in private else value
    return changed
