"""Key-project progress: per item, per project, with targets and pacing."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, select, true

from data_layer.cache import cached_query
from data_layer.models import ItemTownshipTarget, ProgressEntry, Project, ProjectItem
from data_layer.pacing import STATUS_LABELS, completion, pace_status
from data_layer.queries._sql import frame, in_units
from data_layer.scope import Scope, time_elapsed

ITEM_COLUMNS = [
    "project_code",
    "project",
    "item_code",
    "item",
    "unit",
    "measure",
    "target",
    "done_period",
    "done_ytd",
    "amount_period_fen",
    "amount_ytd_fen",
    "budget_fen",
]
SUMMARY_COLUMNS = [
    "project_code",
    "project",
    "items",
    "completion",
    "elapsed",
    "status",
    "status_label",
    "amount_ytd_fen",
    "budget_fen",
]


def _done(measure_col, quantity, amount_fen):
    """An entry's contribution in the item's unit: quantity, or 元 for money items."""
    return case((measure_col == "money", amount_fen / 100.0), else_=quantity)


@cached_query
def item_progress(url: str, scope: Scope) -> pd.DataFrame:
    """Per item (summed over counties): target, done in the period and year to the period's end, money.

    With townships chosen, the target is the sum of their township targets, or empty if
    the item has none (a county target cannot be split by guesswork).
    """
    e = ProgressEntry
    in_year = and_(
        e.item_id == ProjectItem.id,
        e.deleted_at.is_(None),
        e.entry_date >= scope.year_start,
        e.entry_date <= scope.end,
        in_units(scope, e.township_id, Project.county_id),
    )
    in_period = e.entry_date >= scope.start
    done = _done(ProjectItem.measure, e.quantity, e.amount_fen)
    entries = (
        select(
            Project.code.label("project_code"),
            ProjectItem.code.label("item_code"),
            func.coalesce(func.sum(case((in_period, done), else_=0)), 0).label("done_period"),
            func.coalesce(func.sum(done), 0).label("done_ytd"),
            func.coalesce(func.sum(case((in_period, e.amount_fen), else_=0)), 0).label("amount_period_fen"),
            func.coalesce(func.sum(e.amount_fen), 0).label("amount_ytd_fen"),
        )
        .select_from(ProjectItem)
        .join(Project, Project.id == ProjectItem.project_id)
        .outerjoin(e, in_year)
        .where(Project.year == scope.year, _in_counties(scope))
        .group_by(Project.code, ProjectItem.code)
    ).subquery()
    items = (
        select(
            Project.code,
            func.min(Project.name),
            ProjectItem.code,
            func.min(ProjectItem.name),
            func.min(ProjectItem.unit),
            func.min(ProjectItem.measure),
            func.sum(ProjectItem.annual_target),
            func.sum(ProjectItem.budget_fen),
            func.min(Project.sort_order),
            func.min(ProjectItem.sort_order),
        )
        .join(Project, Project.id == ProjectItem.project_id)
        .where(Project.year == scope.year, _in_counties(scope))
        .group_by(Project.code, ProjectItem.code)
    )
    base = frame(
        url,
        items,
        [
            "project_code",
            "project",
            "item_code",
            "item",
            "unit",
            "measure",
            "target",
            "budget_fen",
            "p_order",
            "i_order",
        ],
    )
    sums = frame(
        url,
        select(entries),
        ["project_code", "item_code", "done_period", "done_ytd", "amount_period_fen", "amount_ytd_fen"],
    )
    out = base.merge(sums, on=["project_code", "item_code"], how="left")
    if scope.township_ids:
        out["target"] = (
            out[["project_code", "item_code"]].apply(tuple, axis=1).map(_township_targets(url, scope)).astype("float64")
        )
    out = out.sort_values(["p_order", "i_order"]).reset_index(drop=True)
    for col in ("done_period", "done_ytd", "amount_period_fen", "amount_ytd_fen"):
        out[col] = out[col].fillna(0)
    out["target"] = out["target"].astype("float64")
    out["budget_fen"] = out["budget_fen"].astype("float64")
    return out[ITEM_COLUMNS]


def _in_counties(scope: Scope):
    return Project.county_id.in_(scope.county_ids) if scope.county_ids else true()


def _township_targets(url: str, scope: Scope) -> dict[tuple[str, str], float]:
    t = ItemTownshipTarget
    stmt = (
        select(Project.code, ProjectItem.code, func.sum(t.target))
        .join(ProjectItem, ProjectItem.id == t.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(Project.year == scope.year, t.township_id.in_(scope.township_ids))
        .group_by(Project.code, ProjectItem.code)
    )
    rows = frame(url, stmt, ["p", "i", "target"])
    return {(r.p, r.i): float(r.target) for r in rows.itertuples()}


def project_summary(url: str, scope: Scope, today: date) -> pd.DataFrame:
    """Per project: mean completion of its items with targets, time elapsed, and the status."""
    items = item_progress(url, scope)
    elapsed = time_elapsed(scope.year, scope.end, today)
    rows = []
    for (code, name), group in items.groupby(["project_code", "project"], sort=False):
        rates = [completion(r.done_ytd, r.target) for r in group.itertuples()]
        rates = [r for r in rates if r == r]  # drop NaN: items without a target
        rate = sum(rates) / len(rates) if rates else float("nan")
        status = pace_status(rate, elapsed)
        rows.append(
            (
                code,
                name,
                len(group),
                rate,
                elapsed,
                status,
                STATUS_LABELS[status],
                int(group["amount_ytd_fen"].sum()),
                float(group["budget_fen"].sum(min_count=1)),
            )
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


@cached_query
def township_progress(url: str, scope: Scope) -> pd.DataFrame:
    """Per township and item: done year-to-date (to the period's end) and in the period.

    County-wide entries (no township) appear under township_id None, named “县本级”.
    """
    e = ProgressEntry
    done = _done(ProjectItem.measure, e.quantity, e.amount_fen)
    stmt = (
        select(
            e.township_id,
            Project.code,
            ProjectItem.code,
            func.sum(case((e.entry_date >= scope.start, done), else_=0)),
            func.sum(done),
        )
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(
            Project.year == scope.year,
            e.deleted_at.is_(None),
            e.entry_date >= scope.year_start,
            e.entry_date <= scope.end,
            in_units(scope, e.township_id, Project.county_id),
        )
        .group_by(e.township_id, Project.code, ProjectItem.code)
    )
    return frame(url, stmt, ["township_id", "project_code", "item_code", "done_period", "done_ytd"])
