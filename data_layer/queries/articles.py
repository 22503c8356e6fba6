"""Articles as the entry page lists them: the outlets to choose from, one article, the year's articles."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from data_layer.access import Access
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import Article, County, Outlet, Township
from data_layer.queries._sql import frame, in_units, scalar

OUTLET_COLUMNS = ["outlet_id", "outlet", "level", "medium", "first_used_on"]
ARTICLE_COLUMNS = [
    "id",
    "published_on",
    "outlet_id",
    "outlet",
    "level",
    "township_id",
    "township",
    "county",
    "title",
    "kind",
    "link",
    "warning_note",
    "created_by",
    "created_at",
    "deleted_at",
]
RECORD_COLUMNS = [
    "id",
    "county_id",
    "outlet_id",
    "township_id",
    "title",
    "published_on",
    "kind",
    "link",
    "is_demo",
    "warning_note",
    "created_by",
    "created_at",
    "deleted_at",
]


@cached_query
def outlets(url: str) -> pd.DataFrame:
    """Every outlet, in the administrator's order."""
    o = Outlet
    stmt = select(o.id, o.name, o.level, o.medium, o.first_used_on).order_by(o.sort_order, o.id)
    return frame(url, stmt, OUTLET_COLUMNS)


def _listed(scope: Scope, outlet_id: int | None, deleted: bool) -> list:
    a = Article
    clauses = [
        a.published_on >= scope.start,
        a.published_on <= scope.end,
        in_units(scope, a.township_id, a.county_id),
        a.deleted_at.is_not(None) if deleted else a.deleted_at.is_(None),
    ]
    if outlet_id is not None:
        clauses.append(a.outlet_id == outlet_id)
    return clauses


@cached_query
def article_count(url: str, scope: Scope, outlet_id: int | None = None, deleted: bool = False) -> int:
    """How many articles :func:`articles` lists (without a limit)."""
    return int(scalar(url, select(func.count()).select_from(Article).where(*_listed(scope, outlet_id, deleted))))


@cached_query
def articles(
    url: str, scope: Scope, outlet_id: int | None = None, deleted: bool = False, limit: int | None = None
) -> pd.DataFrame:
    """The articles published in the period (newest first); ``deleted``: the 回收站; ``limit``: the newest that
    many (a screen's worth of a province's ten thousand)."""
    a = Article
    stmt = (
        select(
            a.id,
            a.published_on,
            a.outlet_id,
            Outlet.name,
            Outlet.level,
            a.township_id,
            func.coalesce(Township.name, "县本级"),
            County.name,
            a.title,
            a.kind,
            a.link,
            a.warning_note,
            a.created_by,
            a.created_at,
            a.deleted_at,
        )
        .join(Outlet, Outlet.id == a.outlet_id)
        .join(County, County.id == a.county_id)
        .outerjoin(Township, Township.id == a.township_id)
        .where(*_listed(scope, outlet_id, deleted))
        .order_by(a.published_on.desc(), a.id.desc())
        .limit(limit)
    )
    return frame(url, stmt, ARTICLE_COLUMNS)


@cached_query
def _article(url: str, article_id: int) -> dict | None:
    """One article by its number, deleted or not."""
    rows = frame(
        url, select(*[getattr(Article, c) for c in RECORD_COLUMNS]).where(Article.id == article_id), RECORD_COLUMNS
    )
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["township_id"] = None if pd.isna(out["township_id"]) else int(out["township_id"])
    return out


def article(url: str, article_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_article(url, article_id))


@cached_query
def counts_by_township(url: str, scope: Scope, outlet_id: int) -> dict[int | None, int]:
    """The outlet's articles in the period per township (``None``: 县本级): what the month grid shows as recorded."""
    a = Article
    stmt = (
        select(a.township_id, func.count(a.id))
        .where(
            a.outlet_id == outlet_id,
            a.deleted_at.is_(None),
            a.published_on >= scope.start,
            a.published_on <= scope.end,
            in_units(scope, a.township_id, a.county_id),
        )
        .group_by(a.township_id)
    )
    found = frame(url, stmt, ["township_id", "articles"])
    return {
        (None if pd.isna(t) else int(t)): int(n) for t, n in zip(found["township_id"], found["articles"], strict=True)
    }
