"""The desk's admin backs up a running SQLite desk without stopping it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dispatch.backup import BackupRefused, backup_sqlite
from dispatch.settings import REPO_ROOT, Settings
from tests.builders.desk import operator


def test_a_backup_taken_while_the_desk_runs_holds_every_order_so_far(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    if not settings.database_url.startswith("sqlite"):
        with pytest.raises(BackupRefused, match="pg_dump"):
            backup_sqlite(settings.database_url, tmp_path / "copy.db")
        return
    desk = operator(client)
    numbers = [desk.create_order()["number"] for _ in range(3)]
    done = backup_sqlite(settings.database_url, tmp_path / "copy.db")
    desk.create_order()  # the desk goes on; the copy is as of the backup
    assert done.work_orders == 3 and done.events > 3
    with sqlite3.connect(done.path) as copy:
        kept = [row[0] for row in copy.execute("SELECT number FROM work_order ORDER BY id")]
    assert kept == numbers

    with pytest.raises(BackupRefused, match="never overwrites"):
        backup_sqlite(settings.database_url, done.path)
    assert not list(tmp_path.glob(".*partial"))


def test_the_backup_command_says_what_it_copied(sqlite_template: Path, tmp_path: Path) -> None:
    live = tmp_path / "hotline.db"
    shutil.copyfile(sqlite_template, live)
    command = [sys.executable, "-m", "dispatch.cli", "backup", str(tmp_path / "night.db")]
    env = {"DATABASE_URL": f"sqlite:///{live}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    again = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "never overwrites" in again.stderr
