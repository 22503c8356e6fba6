"""The log of imported files (FileLog), one kind of import at a time: who, when, which file, what it did."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from data_layer.infra.cache import cached_query
from data_layer.models import Account, FileLog
from data_layer.queries._sql import frame


@cached_query
def import_log(url: str, kind: str, actor: str | None = None) -> pd.DataFrame:
    """Every file of ``kind`` imported, newest first: who (the account's name, else the username), when, which
    file, and the rows it created, updated and left unchanged. ``actor``: one account's imports only."""
    f = FileLog
    stmt = (
        select(
            f.id.label("log_id"),
            f.at.label("at"),
            f.actor.label("username"),
            func.coalesce(Account.display_name, f.actor).label("actor"),
            f.file_name.label("file_name"),
            f.rows.label("rows"),
            f.created.label("created"),
            f.updated.label("updated"),
            (f.rows - f.created - f.updated).label("unchanged"),
            f.detail.label("detail"),
        )
        .outerjoin(Account, Account.username == f.actor)
        .where(f.kind == kind, *([f.actor == actor] if actor is not None else []))
        .order_by(f.at.desc(), f.id.desc())
    )
    return frame(url, stmt, [c.key for c in stmt.selected_columns])
