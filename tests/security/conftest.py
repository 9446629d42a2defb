"""One running desk per backend for each module of these tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS
from tests.security.desk import Desk, running_desk


@pytest.fixture(scope="module", params=[b for b in ("sqlite", "postgres") if b in BACKENDS])
def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    with running_desk(request.param, request, tmp_path_factory.mktemp("desk")) as running:
        yield running
