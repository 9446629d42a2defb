"""`dispatch rules check FILE`: the same check the server makes before using a rules file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from dispatch.routing.loader import RulesFileError, load_rules, vocabulary_from_config

rules_app = typer.Typer(no_args_is_help=True)


@rules_app.callback()
def _group() -> None:
    """Routing rules."""


@rules_app.command("check")
def check(
    file: Path,
    config_dir: Annotated[
        Path, typer.Option(help="where world.yaml and teams.yaml are (to know the codes)")
    ] = Path("config"),
) -> None:
    """Check a rules file: print "OK: N rules", or file:line: reason and exit 1."""
    try:
        vocabulary = vocabulary_from_config(config_dir)
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        typer.echo(f"{config_dir}: cannot read the codes to check against: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        rules = load_rules(file, vocabulary)
    except RulesFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"OK: {len(rules)} rules")
