"""Schema changes through Alembic: the app and the CLI upgrade to head on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url``; no ini file, so it works from any working directory."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the store at ``url`` to the newest schema."""
    command.upgrade(alembic_config(url), "head")


def make_revision(url: str, message: str) -> None:
    """Autogenerate a new revision from the difference between models and the store."""
    command.revision(alembic_config(url), message=message, autogenerate=True)


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type) -> bool | None:
    """Autogenerate's type check, except that SQLite's INTEGER is BIGINT already (64-bit): no change there."""
    if context.dialect.name == "sqlite":
        from sqlalchemy import Integer

        if isinstance(inspected_type, Integer) and isinstance(metadata_type, Integer):
            return False
    return None  # Alembic's own comparison
