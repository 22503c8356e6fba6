"""A city's or a province's counties side by side: each area's headline figure per county, aggregated in SQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, select

from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import Article, County, Disbursement, ProgressEntry, Project, ProjectItem, Township
from data_layer.queries import levy
from data_layer.queries._sql import frame, in_units
from data_layer.queries.projects import entry_value

COLUMNS = [
    "county_id",
    "county",
    "townships",
    "projects_completion",
    "subsidy_fen",
    "collected_fen",
    "task_fen",
    "collection_rate",
    "review_rate",
    "inspection_rate",
    "articles",
]


@cached_query
def by_county(url: str, scope: Scope) -> pd.DataFrame:
    """Per county of the filter (all, or the chosen ones), in the admin's order: townships, the key projects'
    mean completion (year to the period's end ÷ the county's annual targets, items with a target), subsidies
    paid in the period, the levy collected against the county's task, the review and inspection rates, and the
    period's articles."""
    counties = select(County.id, County.name, func.count(Township.id)).outerjoin(
        Township, and_(Township.county_id == County.id, Township.active.is_(True))
    )
    if scope.county_ids:
        counties = counties.where(County.id.in_(scope.county_ids))
    out = frame(
        url,
        counties.group_by(County.id).order_by(func.min(County.sort_order), County.id),
        ["county_id", "county", "townships"],
    )
    out["projects_completion"] = out["county_id"].map(_projects(url, scope)).astype(float)
    paid = select(Disbursement.county_id, func.sum(Disbursement.amount_fen)).where(
        Disbursement.deleted_at.is_(None),
        Disbursement.paid_date.between(scope.start, scope.end),
        in_units(scope, Disbursement.township_id, Disbursement.county_id),
    )
    out["subsidy_fen"] = out["county_id"].map(_by(url, paid.group_by(Disbursement.county_id))).fillna(0).astype(int)
    written = select(Article.county_id, func.count(Article.id)).where(
        Article.deleted_at.is_(None),
        Article.published_on.between(scope.start, scope.end),
        in_units(scope, Article.township_id, Article.county_id),
    )
    out["articles"] = out["county_id"].map(_by(url, written.group_by(Article.county_id))).fillna(0).astype(int)
    levies = levy.by_county(url, scope).set_index("county_id")
    for column in ("collected_fen", "task_fen", "collection_rate", "review_rate", "inspection_rate"):
        out[column] = out["county_id"].map(levies[column]) if len(levies) else float("nan")
    out["collected_fen"] = out["collected_fen"].fillna(0).astype(int)
    return out[COLUMNS]


def _by(url: str, stmt) -> dict:
    return dict(frame(url, stmt, ["county_id", "value"]).itertuples(index=False))


def _projects(url: str, scope: Scope) -> dict[int, float]:
    """county → the mean of its projects' completion, each the mean of its items' (items with a target above 0):
    the overview's 重点工程平均完成."""
    e = ProgressEntry
    done = func.coalesce(func.sum(entry_value(ProjectItem.measure, e.quantity, e.amount_fen)), 0)
    stmt = (
        select(Project.county_id, Project.code, ProjectItem.id, func.min(ProjectItem.annual_target), done)
        .join(Project, Project.id == ProjectItem.project_id)
        .outerjoin(
            e,
            and_(
                e.item_id == ProjectItem.id,
                e.deleted_at.is_(None),
                e.entry_date.between(scope.year_start, scope.end),
                in_units(scope, e.township_id, Project.county_id),
            ),
        )
        .where(Project.year == scope.year, ProjectItem.annual_target > 0)
        .group_by(Project.county_id, Project.code, ProjectItem.id)
    )
    items = frame(url, stmt, ["county_id", "project", "item_id", "target", "done"])
    if items.empty:
        return {}
    items["completion"] = items["done"].astype(float) / items["target"].astype(float)
    by_project = items.groupby(["county_id", "project"])["completion"].mean()
    return by_project.groupby(level="county_id").mean().to_dict()
