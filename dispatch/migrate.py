"""Bring a database's schema up to date with Alembic, from revisions shipped in the packages."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The packages built on dispatch keep their own revisions beside their own tables; they are
# found by name, as the app factory finds the packages, so dispatch never imports them.
EXTENSION_MIGRATIONS = ("escalation.migrations", "hotline.migrations")


def version_locations() -> list[str]:
    found = [str(MIGRATIONS / "versions")]
    for name in EXTENSION_MIGRATIONS:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            found.extend(spec.submodule_search_locations)
    return found


def alembic_config(database_url: str) -> Config:
    """In code, not in an alembic.ini: an installed desk (pip install ., the Docker image)
    has no repository checkout to find one in."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(version_locations()))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "heads")
