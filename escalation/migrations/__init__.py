"""Alembic revisions; shipped inside the package so an installed desk can migrate."""
