"""Publicity output: articles by outlet level, outlet, month and township, paced against the year's targets."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, select, true

from data_layer.domain.pacing import DEFAULT_THRESHOLDS, STATUS_LABELS, PaceThresholds, completion, pace_status
from data_layer.domain.scope import Scope, time_elapsed
from data_layer.infra.cache import cached_query
from data_layer.models import AREA_LEVELS, Article, County, Outlet, PublicityQuota, PublicityTarget, Township
from data_layer.queries._sql import frame, in_units

LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}


def _articles_in(scope: Scope, since: date | None = None):
    """The view's articles: not deleted, published from ``since`` (the period's start) to the period's end."""
    a = Article
    return and_(
        a.deleted_at.is_(None),
        a.published_on >= (since or scope.start),
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


def _counted(scope: Scope):
    """Articles of the period, and of the year up to the period's end (what a year's target is paced by)."""
    in_period = Article.published_on >= scope.start
    return func.count(case((in_period, Article.id))), func.count(Article.id)


def _paced(df: pd.DataFrame, scope: Scope, today: date, thresholds: PaceThresholds) -> pd.DataFrame:
    """完成进度 (the year's articles so far ÷ target), 序时进度 and the status: the key projects' rule."""
    elapsed = time_elapsed(scope.year, scope.end, today)
    df["completion"] = [completion(d, t) for d, t in zip(df["year_to_date"], df["target"], strict=True)]
    df["elapsed"] = elapsed
    df["status"] = [pace_status(r, elapsed, thresholds) for r in df["completion"]]
    df["status_label"] = [STATUS_LABELS[s] for s in df["status"]]
    return df


@cached_query
def by_level(url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """The four levels in order: articles in the period and in the year so far, the year's target of the chosen
    counties, completion against it beside 序时进度, and the status. A township's articles have no level
    target (the targets are county-wide): its quota is in ``by_township``."""
    in_period, year_to_date = _counted(scope)
    counts = (
        select(Outlet.level, in_period, year_to_date)
        .join(Article, and_(Article.outlet_id == Outlet.id, _articles_in(scope, scope.year_start)))
        .group_by(Outlet.level)
    )
    target_of_counties = PublicityTarget.county_id.in_(scope.county_ids) if scope.county_ids else true()
    targets = (
        select(PublicityTarget.level, func.sum(PublicityTarget.target))
        .where(PublicityTarget.year == scope.year, target_of_counties)
        .group_by(PublicityTarget.level)
    )
    got = {r.level: (int(r.p), int(r.y)) for r in frame(url, counts, ["level", "p", "y"]).itertuples()}
    goal = {} if scope.township_ids else dict(frame(url, targets, ["level", "t"]).itertuples(index=False))
    rows = [
        (lv, LEVEL_LABELS[lv], *got.get(lv, (0, 0)), float(goal[lv]) if lv in goal else math.nan) for lv in AREA_LEVELS
    ]
    out = pd.DataFrame(rows, columns=["level", "level_label", "articles", "year_to_date", "target"])
    return _paced(out, scope, today, thresholds)


def all_levels(
    levels: pd.DataFrame, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS
) -> pd.Series:
    """The four levels of ``by_level`` together: the whole year's target, paced by the same rule."""
    total = pd.DataFrame(
        {
            "articles": [int(levels["articles"].sum())],
            "year_to_date": [int(levels["year_to_date"].sum())],
            "target": [levels["target"].sum(min_count=1)],
        }
    )
    return _paced(total, scope, today, thresholds).iloc[0]


@cached_query
def by_township(url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Every active township of the view (those with no article too), with its articles in the period and in
    the year so far, its quota for the year, completion and status; in the admin's order."""
    in_period, year_to_date = _counted(scope)
    t = Township
    of_view = [t.active]
    if scope.county_ids:
        of_view.append(t.county_id.in_(scope.county_ids))
    if scope.township_ids:
        of_view.append(t.id.in_(scope.township_ids))
    quota = (
        select(PublicityQuota.township_id, PublicityQuota.target).where(PublicityQuota.year == scope.year).subquery()
    )
    stmt = (
        select(t.id, t.name, in_period, year_to_date, func.max(quota.c.target))
        .select_from(t)
        .join(County, County.id == t.county_id)
        .outerjoin(Article, and_(Article.township_id == t.id, _articles_in(scope, scope.year_start)))
        .outerjoin(quota, quota.c.township_id == t.id)
        .where(*of_view)
        .group_by(t.id, t.name, County.sort_order, County.id, t.sort_order)
        .order_by(County.sort_order, County.id, t.sort_order, t.id)
    )
    out = frame(url, stmt, ["township_id", "township", "articles", "year_to_date", "target"])
    out["target"] = out["target"].astype("float64")
    return _paced(out, scope, today, thresholds)


@cached_query
def county_wide(url: str, scope: Scope) -> int:
    """Articles of the period about no township (县本级): the rest of the total beside ``by_township``."""
    stmt = select(func.count(Article.id)).where(_articles_in(scope), Article.township_id.is_(None))
    return int(frame(url, stmt, ["n"])["n"].iloc[0])


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


# --- the settings page: targets, quotas and outlets as an administrator edits them ----------------------


@cached_query
def level_targets(url: str, county_id: int, year: int) -> dict[str, int]:
    """A county's targets per level for the year (levels without one are absent)."""
    t = PublicityTarget
    stmt = select(t.level, t.target).where(t.county_id == county_id, t.year == year)
    return {lv: int(n) for lv, n in frame(url, stmt, ["level", "target"]).itertuples(index=False)}


@cached_query
def quotas(url: str, county_id: int, year: int) -> pd.DataFrame:
    """The county's active townships in the admin's order, each with its quota for the year (NaN: none)."""
    q = select(PublicityQuota.township_id, PublicityQuota.target).where(PublicityQuota.year == year).subquery()
    stmt = (
        select(Township.id, Township.name, q.c.target)
        .outerjoin(q, q.c.township_id == Township.id)
        .where(Township.county_id == county_id, Township.active)
        .order_by(Township.sort_order, Township.id)
    )
    out = frame(url, stmt, ["township_id", "township", "target"])
    out["target"] = out["target"].astype("float64")
    return out


@cached_query
def outlet_usage(url: str) -> pd.DataFrame:
    """Every outlet in the admin's order with its articles ever recorded and the first and last date published."""
    a = Article
    stmt = (
        select(
            Outlet.id,
            Outlet.name,
            Outlet.level,
            Outlet.medium,
            Outlet.first_used_on,
            func.count(a.id),
            func.min(a.published_on),
            func.max(a.published_on),
        )
        .outerjoin(a, and_(a.outlet_id == Outlet.id, a.deleted_at.is_(None)))
        .group_by(Outlet.id, Outlet.name, Outlet.level, Outlet.medium, Outlet.first_used_on, Outlet.sort_order)
        .order_by(Outlet.sort_order, Outlet.id)
    )
    columns = ["outlet_id", "outlet", "level", "medium", "first_used_on", "articles", "first_article", "last_article"]
    return frame(url, stmt, columns)
