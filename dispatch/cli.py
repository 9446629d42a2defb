"""`dispatch`: serve, scheduler, migrate, load-demo, create-user, set-password, backup,
rules check, photos archive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dispatch.photos.cli import photos_app
from dispatch.routing.cli import rules_app

if TYPE_CHECKING:
    from sqlmodel import Session

    from dispatch.audit.models import AdminActionKind

app = typer.Typer(help="24-hour hotline dispatch desk", no_args_is_help=True)
app.add_typer(rules_app, name="rules", help="Check routing rules files.")
app.add_typer(photos_app, name="photos", help="Archive the photos of long-closed orders.")


def _prepare_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from dispatch.migrate import upgrade
    from dispatch.settings import get_settings

    url = get_settings().database_url
    _prepare_sqlite_dir(url)
    upgrade(url)
    typer.echo("database is up to date")


@app.command("load-demo")
def load_demo() -> None:
    """Load the demo world from config/ and print the demo accounts."""
    from dispatch.database import Database
    from dispatch.demo.loader import load_demo_world
    from dispatch.settings import get_settings

    settings = get_settings()
    db = Database(settings.database_url)
    with db.session(write=True) as session:
        accounts = load_demo_world(session, settings.config_dir)
    db.dispose()
    typer.echo("Demo accounts (username / password / role / team):")
    for a in accounts:
        typer.echo(f"  {a.username:<20} {a.password:<26} {a.role:<12} {a.team or ''}")


class _ShellChange:
    """A unit of work from the shell whose changes the admin log records as made by "cli"."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, action: AdminActionKind, target: str, **data: Any) -> None:
        from dispatch.audit import service as audit
        from dispatch.clock import SystemClock

        audit.record(
            self.session,
            actor=None,
            action=action,
            target=target,
            now=SystemClock().now(),
            data=data,
        )


@contextmanager
def _shell_change() -> Iterator[_ShellChange]:
    """A refusal is printed and exits 1; nothing of it is stored."""
    from dispatch.database import Database
    from dispatch.errors import DomainError
    from dispatch.settings import get_settings

    db = Database(get_settings().database_url)
    try:
        with db.session(write=True) as session:
            yield _ShellChange(session)
    except (DomainError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()


@app.command("create-user")
def create_user_command(
    username: str,
    role: str,
    display_name: Annotated[str, typer.Option()] = "",
    team: Annotated[str | None, typer.Option()] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)] = "",
) -> None:
    """Add a desk user."""
    from dispatch.audit.models import AdminActionKind
    from dispatch.auth.models import Role
    from dispatch.auth.service import create_user

    with _shell_change() as change:
        user = create_user(
            change.session,
            username=username,
            password=password,
            display_name=display_name or username,
            role=Role(role),
            team_code=team,
        )
        change.record(
            AdminActionKind.user_created, username, role=user.role.value, team_code=user.team_code
        )
    typer.echo(f"created {username} ({role})")


@app.command("set-password")
def set_password_command(
    username: str,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """A new password for a user (also the way back in when the only admin forgot theirs)."""
    from dispatch.audit.models import AdminActionKind
    from dispatch.auth.service import require_user, set_password

    if len(password) < 8:
        typer.echo("error: a password has at least 8 characters", err=True)
        raise typer.Exit(1)
    with _shell_change() as change:
        set_password(change.session, require_user(change.session, username), password)
        change.record(AdminActionKind.password_reset, username)
    typer.echo(f"new password set for {username}; their open sessions have ended")


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="the file to write; never overwritten")],
) -> None:
    """Copy a running SQLite desk to TARGET, consistent and checked, without stopping it."""
    from dispatch.backup import BackupRefused, backup_sqlite
    from dispatch.settings import get_settings

    try:
        done = backup_sqlite(get_settings().database_url, target)
    except BackupRefused as exc:
        typer.echo(f"backup refused: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"backed up to {done.path}: {done.size_bytes} bytes, {done.work_orders} work orders,"
        f" {done.events} events; integrity ok"
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve the API and pages."""
    import uvicorn

    uvicorn.run(
        "dispatch.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )


@app.command()
def scheduler() -> None:
    """Run the background work without serving HTTP: escalation sweeps, notifications,
    the 12345/police outbox and recurring care work. Run one beside API instances started
    with HOTLINE_RUN_SCHEDULER_IN_PROCESS=false (two are safe: every item is claimed)."""
    import asyncio
    import logging

    from dispatch.main import create_app, run_background_services
    from dispatch.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings().model_copy(update={"run_scheduler_in_process": True})
    typer.echo("scheduler running; Ctrl-C or SIGTERM to stop")
    asyncio.run(run_background_services(create_app(settings)))


if __name__ == "__main__":
    app()
