"""`dispatch`: serve, scheduler, migrate, load-demo, create-user, rules check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dispatch.routing.cli import rules_app

app = typer.Typer(help="24-hour hotline dispatch desk", no_args_is_help=True)
app.add_typer(rules_app, name="rules", help="Check routing rules files.")


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


@app.command("create-user")
def create_user_command(
    username: str,
    role: str,
    display_name: Annotated[str, typer.Option()] = "",
    team: Annotated[str | None, typer.Option()] = None,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)] = "",
) -> None:
    """Add a desk user."""
    from dispatch.auth.models import Role
    from dispatch.auth.service import create_user
    from dispatch.database import Database
    from dispatch.errors import DomainError
    from dispatch.settings import get_settings

    db = Database(get_settings().database_url)
    try:
        with db.session(write=True) as session:
            create_user(
                session,
                username=username,
                password=password,
                display_name=display_name or username,
                role=Role(role),
                team_code=team,
            )
    except (DomainError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    typer.echo(f"created {username} ({role})")


@app.command("set-password")
def set_password_command(
    username: str,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """A new password for a user (also the way back in when the only admin forgot theirs)."""
    from dispatch.auth.service import require_user, set_password
    from dispatch.database import Database
    from dispatch.errors import DomainError
    from dispatch.settings import get_settings

    if len(password) < 8:
        typer.echo("error: a password has at least 8 characters", err=True)
        raise typer.Exit(1)
    db = Database(get_settings().database_url)
    try:
        with db.session(write=True) as session:
            set_password(session, require_user(session, username), password)
    except DomainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    typer.echo(f"new password set for {username}; their open sessions have ended")


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
