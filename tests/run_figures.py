"""Figures a test run prints at its end, kept apart from any test module so that the root
conftest can ship them from pytest-xdist's workers to the process that prints."""

from __future__ import annotations

from collections import Counter

# The OpenAPI fuzz (tests/fuzz): requests sent, by phase, and what went wrong.
fuzz: Counter[str] = Counter()
# Each garbage collection's pause, in seconds (tests/conftest.py).
gc_pauses: list[float] = []


def fuzz_line() -> str | None:
    if not fuzz["requests"]:
        return None
    phases = ", ".join(f"{k[6:]} {v}" for k, v in sorted(fuzz.items()) if k.startswith("phase"))
    return (
        f"OpenAPI fuzz: {fuzz['requests']} requests ({phases}), "
        f"{fuzz['server_errors']} server errors, "
        f"{fuzz['bad_shapes']} error answers outside the error shape"
    )


def gc_line() -> str | None:
    if not gc_pauses:
        return None
    return (
        f"garbage collection: {len(gc_pauses)} passes, longest {max(gc_pauses):.3f} s,"
        f" {sum(gc_pauses):.1f} s in all"
    )
