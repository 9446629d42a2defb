"""The fuzz run's figures, printed once at the end of the session."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fuzz.test_openapi_fuzz import tally

    if tally["requests"]:
        phases = ", ".join(
            f"{k[6:]} {v}" for k, v in sorted(tally.items()) if k.startswith("phase")
        )
        terminalreporter.write_line(
            f"OpenAPI fuzz: {tally['requests']} requests ({phases}), "
            f"{tally['server_errors']} server errors, "
            f"{tally['bad_shapes']} error answers outside the error shape"
        )
