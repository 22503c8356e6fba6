"""信息报送台账 as its page lists and exports it: every live article published in the filter's period and
townships, with its outlet's level and who entered it; and the log of imported ledgers."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import Article, Outlet, Township
from data_layer.queries import file_logs
from data_layer.queries._sql import frame, in_units

IMPORT_KIND = "import.article"  # the FileLog kind data_layer/services/article_import.py writes


@cached_query
def ledger(url: str, scope: Scope) -> pd.DataFrame:
    """The period's articles in the order they were published (oldest first, as the office's ledger runs)."""
    a = Article
    stmt = (
        select(
            a.id.label("article_id"),
            a.published_on.label("published_on"),
            Outlet.name.label("outlet"),
            Outlet.level.label("level"),
            func.coalesce(Township.name, "县本级").label("township"),
            a.title.label("title"),
            a.kind.label("kind"),
            a.link.label("link"),
            a.created_by.label("created_by"),
        )
        .join(Outlet, Outlet.id == a.outlet_id)
        .outerjoin(Township, Township.id == a.township_id)
        .where(
            a.deleted_at.is_(None),
            a.published_on >= scope.start,
            a.published_on <= scope.end,
            in_units(scope, a.township_id, a.county_id),
        )
        .order_by(a.published_on, a.id)
    )
    return frame(url, stmt, [c.key for c in stmt.selected_columns])


def import_log(url: str, actor: str | None = None) -> pd.DataFrame:
    """Every ledger imported, newest first (``actor``: one account's imports only)."""
    return file_logs.import_log(url, IMPORT_KIND, actor)
