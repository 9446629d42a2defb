"""`dispatch photos archive`: move the full pictures of long-closed orders into files."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

photos_app = typer.Typer(no_args_is_help=True)


@photos_app.callback()
def _group() -> None:
    """现场照片."""


@photos_app.command("archive")
def archive(
    to: Annotated[Path, typer.Option(help="the archive folder: one folder per order in it")],
    closed_before: Annotated[
        datetime,
        typer.Option(formats=["%Y-%m-%d"], help="orders closed before this local day"),
    ],
    dry_run: Annotated[bool, typer.Option(help="count what would move; move nothing")] = False,
) -> None:
    """Move the full pictures of orders closed before a day to files (JPEGs and a manifest
    per order); their thumbnails stay, and the API answers 410 for the full picture."""
    from dispatch.database import Database
    from dispatch.photos.archive import ArchiveRefused, archive_photos
    from dispatch.settings import get_settings

    settings = get_settings()
    local_day: date = closed_before.date()
    cutoff = datetime.combine(local_day, time(), ZoneInfo(settings.timezone))
    db = Database(settings.database_url)
    try:
        done = archive_photos(
            db, closed_before=cutoff, target=to, now=datetime.now().astimezone(), dry_run=dry_run
        )
    except ArchiveRefused as exc:
        typer.echo(f"archive refused: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()
    verb = "would move" if dry_run else "moved"
    typer.echo(
        f"{verb} {done.photos} photos ({done.bytes} bytes) of {done.orders} orders"
        f" closed before {local_day} to {to}"
    )
    for why in done.damaged:
        typer.echo(f"kept in the database: {why}", err=True)
    if done.damaged:
        raise typer.Exit(1)
