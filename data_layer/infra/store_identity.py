"""Which store a URL holds, by the random id kept in the store itself: read through the engine (data_layer/infra/
db.py), remembered in the ledger of data_layer/infra/guard.py once a person's data is in it, and checked on
start — the two halves apart, so the engine (which asks the guard whether its file is intact) and the guard
(which knows nothing of engines) do not import each other."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from data_layer.infra import guard
from data_layer.infra.db import get_engine
from data_layer.infra.guard import STORE_ID, VANISHED, StoreVanished, expected_id, remember, sqlite_file
from data_layer.models import AppSetting


def store_id(url: str) -> str | None:
    """The id kept in the store (None for a store without one, or one that cannot be read)."""
    try:
        with get_engine(url).connect() as conn:
            return conn.execute(select(AppSetting.value).where(AppSetting.key == STORE_ID)).scalar()
    except SQLAlchemyError:
        return None


def entered(url: str) -> None:
    """After a person's write (forms, grids, admin pages): this store now holds entered data."""
    if not guard.marked(url) and (found := store_id(url)):
        remember(url, found)


def check_on_start(url: str) -> None:
    """Before migrating or seeding: refuse a store that should hold entered data but is missing or another."""
    expected = expected_id(url)
    if expected is None:
        return
    path = sqlite_file(url)
    if (path is not None and not path.exists()) or store_id(url) != expected:
        raise StoreVanished(VANISHED)
