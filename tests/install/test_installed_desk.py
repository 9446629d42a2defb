"""A desk installed from the wheel (pip install ., the Docker image) has no checkout beside it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from dispatch.settings import REPO_ROOT

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def test_an_installed_desk_migrates_with_no_repository_beside_it(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building writes build/ beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    for package in ("dispatch", "escalation", "hotline"):
        shutil.copytree(REPO_ROOT / package, source / package, ignore=IGNORED)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--wheel-dir", str(tmp_path / "wheel"), str(source)],
        check=True,
    )  # fmt: skip
    site = tmp_path / "site"
    with zipfile.ZipFile(next((tmp_path / "wheel").glob("*.whl"))) as wheel:
        wheel.extractall(site)
    database = tmp_path / "desk.db"
    env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "-P", "-c", "from dispatch.cli import app; app()", "migrate"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    with sqlite3.connect(database) as conn:
        heads = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    assert heads == {"0019", "0101", "0201"}  # dispatch's, escalation's and hotline's own
