"""Alembic environment and the core schema revisions, shipped inside the package."""
