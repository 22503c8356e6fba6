"""Alembic environment: the models' metadata is the target; the URL comes from the config."""

from alembic import context
from sqlalchemy import pool

from data_layer import models
from data_layer.infra import migrate
from data_layer.infra.db import get_engine

config = context.config
target_metadata = models.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    # Reuse the app's engine so SQLite gets the same pragmas (foreign keys, WAL).
    engine = get_engine(url) if url else None
    assert engine is not None, "sqlalchemy.url is not set"
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=migrate.compare_type,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


_ = pool  # keep the import Alembic templates expect
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
