"""Publicity output: articles by outlet level and by outlet, against the year's targets."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, select

from data_layer.cache import cached_query
from data_layer.models import AREA_LEVELS, Article, Outlet, PublicityTarget
from data_layer.queries._sql import frame, in_units
from data_layer.scope import Scope

LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}


def _articles_in(scope: Scope):
    a = Article
    return and_(
        a.deleted_at.is_(None),
        a.published_on >= scope.start,
        a.published_on <= scope.end,
        in_units(scope, a.township_id, a.county_id),
    )


@cached_query
def by_outlet(url: str, scope: Scope) -> pd.DataFrame:
    """Every outlet (also those with none), with its articles in the period."""
    stmt = (
        select(Outlet.name, Outlet.level, Outlet.medium, func.count(Article.id))
        .select_from(Outlet)
        .outerjoin(Article, and_(Article.outlet_id == Outlet.id, _articles_in(scope)))
        .group_by(Outlet.id)
        .order_by(Outlet.sort_order, Outlet.id)
    )
    return frame(url, stmt, ["outlet", "level", "medium", "articles"])


@cached_query
def by_level(url: str, scope: Scope) -> pd.DataFrame:
    """The four levels in order, with articles in the period and the year's target (all counties chosen)."""
    counts = (
        select(Outlet.level, func.count(Article.id))
        .join(Article, and_(Article.outlet_id == Outlet.id, _articles_in(scope)))
        .group_by(Outlet.level)
        .order_by(Outlet.level)
    )
    targets = (
        select(PublicityTarget.level, func.sum(PublicityTarget.target))
        .where(
            PublicityTarget.year == scope.year,
            PublicityTarget.county_id.in_(scope.county_ids) if scope.county_ids else PublicityTarget.year == scope.year,
        )
        .group_by(PublicityTarget.level)
        .order_by(PublicityTarget.level)
    )
    got = dict(frame(url, counts, ["level", "n"]).itertuples(index=False))
    goal = dict(frame(url, targets, ["level", "t"]).itertuples(index=False))
    rows = [(lv, LEVEL_LABELS[lv], int(got.get(lv, 0)), goal.get(lv)) for lv in AREA_LEVELS]
    out = pd.DataFrame(rows, columns=["level", "level_label", "articles", "target"])
    if scope.township_ids:  # targets are county-wide: not comparable with a township's articles
        out["target"] = None
    out["target"] = out["target"].astype("float64")
    return out


@cached_query
def by_month(url: str, scope: Scope) -> pd.DataFrame:
    """Articles per month of the period and outlet level."""
    month = func.substr(func.cast(Article.published_on, Outlet.name.type), 1, 7)
    stmt = (
        select(month, Outlet.level, func.count(Article.id))
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(_articles_in(scope))
        .group_by(month, Outlet.level)
        .order_by(month, Outlet.level)
    )
    return frame(url, stmt, ["month", "level", "articles"])
