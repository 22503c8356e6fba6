"""Schema by Alembic: upgrade from empty to head, and models and migrations agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data_layer import models
from data_layer.infra import migrate
from data_layer.infra.db import get_engine
from tests.conftest import sqlite_url


def test_upgrade_from_empty_to_head(tmp_path):
    url = sqlite_url(tmp_path / "fresh.sqlite3")
    migrate.upgrade(url)
    tables = set(inspect(get_engine(url)).get_table_names())
    assert set(models.metadata.tables) <= tables
    assert "alembic_version" in tables
    migrate.upgrade(url)  # a second start is a no-op


def test_models_and_migrations_agree(empty_url):
    """On both engines: upgrading an empty store to head gives exactly the models' schema."""
    with get_engine(empty_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": migrate.compare_type})
        diff = compare_metadata(context, models.metadata)
    assert diff == []


def test_foreign_keys_are_enforced(empty_url):
    import pytest
    import sqlalchemy.exc

    with get_engine(empty_url).begin() as conn, pytest.raises(sqlalchemy.exc.IntegrityError):
        conn.exec_driver_sql(
            "INSERT INTO township (county_id, name, kind, sort_order, active) VALUES (999, '无主镇', '镇', 0, TRUE)"
        )
