"""Key-project progress: per item, per project, with targets and pacing."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, select, true

from data_layer.access import Access
from data_layer.domain import money
from data_layer.domain.pacing import DEFAULT_THRESHOLDS, STATUS_LABELS, PaceThresholds, completion, pace_status
from data_layer.domain.scope import Scope, planned_elapsed, time_elapsed
from data_layer.infra.cache import cached_query
from data_layer.models import ItemTownshipTarget, ProgressEntry, Project, ProjectItem, Township
from data_layer.queries._sql import frame, in_units, with_township_ids

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
    "completion",
    "plan_start_month",
    "plan_end_month",
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
    "not_started",  # items with a target and nothing done yet
    "not_due",  # … of which the planned months have not begun
]


def entry_value(measure_col, quantity, amount_fen):
    """An entry's contribution in the item's unit: quantity, or 元 for money items."""
    return case((measure_col == "money", money.yuan_measure(amount_fen)), else_=quantity)


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
    done = entry_value(ProjectItem.measure, e.quantity, e.amount_fen)
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
            # counties may plan one item differently: the window that holds every county's plan
            func.min(ProjectItem.plan_start_month),
            func.max(ProjectItem.plan_end_month),
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
            "plan_start_month",
            "plan_end_month",
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
    out["completion"] = [completion(d, t) for d, t in zip(out["done_ytd"], out["target"], strict=True)]
    for col in ("plan_start_month", "plan_end_month"):
        # object, not float: a month is a whole number or nothing (pandas would make [None, 7] into [nan, 7.0])
        out[col] = pd.Series([None if m is None or m != m else int(m) for m in out[col]], dtype=object, index=out.index)
    return out[ITEM_COLUMNS]


def plan_label(start_month: int | None, end_month: int | None) -> str:
    """How the item's plan reads on screen: 全年, 上半年, 下半年, 7月 or 3—9月."""
    if start_month is None or end_month is None or (start_month, end_month) == (1, 12):
        return "全年"
    if (start_month, end_month) == (1, 6):
        return "上半年"
    if (start_month, end_month) == (7, 12):
        return "下半年"
    return f"{start_month}月" if start_month == end_month else f"{start_month}—{end_month}月"


def item_pace(url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """:func:`item_progress` with each item's 序时进度 (its planned months, else the year) and status."""
    items = item_progress(url, scope).copy()
    items["elapsed"] = [
        planned_elapsed(scope.year, scope.end, today, a, b)
        for a, b in zip(items["plan_start_month"], items["plan_end_month"], strict=True)
    ]
    items["status"] = [
        pace_status(r, e, thresholds) for r, e in zip(items["completion"], items["elapsed"], strict=True)
    ]
    items["status_label"] = items["status"].map(STATUS_LABELS)
    items["plan"] = [plan_label(a, b) for a, b in zip(items["plan_start_month"], items["plan_end_month"], strict=True)]
    return items


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


def project_summary(
    url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Per project: mean completion of its items with targets against the mean of their 序时进度, and the status.

    Each item's 序时进度 follows its planned months, so an item planned for the second
    half-year neither pulls the project behind in June nor hides in the average: the
    project also says how many of its items with a target have not started.
    """
    items = item_pace(url, scope, today, thresholds)
    year_elapsed = time_elapsed(scope.year, scope.end, today)
    rows = []
    for (code, name), group in items.groupby(["project_code", "project"], sort=False):
        measured = group[group["completion"].notna()]  # items without a target have no rate
        rate = measured["completion"].mean() if len(measured) else float("nan")
        if measured["plan_start_month"].notna().any():
            elapsed = float(measured["elapsed"].mean())
        else:
            elapsed = year_elapsed  # no plans: the year's pace itself, not a mean of equal floats
        status = pace_status(rate, elapsed, thresholds)
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
                int((measured["done_ytd"] == 0).sum()),
                int(((measured["done_ytd"] == 0) & (measured["elapsed"] == 0)).sum()),
            )
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


@cached_query
def township_progress(url: str, scope: Scope) -> pd.DataFrame:
    """Per township and item: done year-to-date (to the period's end) and in the period.

    County-wide entries (no township) appear under township_id None, named “县本级”.
    """
    e = ProgressEntry
    done = entry_value(ProjectItem.measure, e.quantity, e.amount_fen)
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
        .order_by(e.township_id.nulls_last(), Project.code, ProjectItem.code)
    )
    return with_township_ids(frame(url, stmt, ["township_id", "project_code", "item_code", "done_period", "done_ytd"]))


@cached_query
def township_targets(url: str, scope: Scope) -> pd.DataFrame:
    """Per township and item: its target for the year (where the targets were split by township)."""
    t = ItemTownshipTarget
    stmt = (
        select(t.township_id, Project.code, ProjectItem.code, t.target)
        .join(ProjectItem, ProjectItem.id == t.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(Project.year == scope.year, in_units(scope, t.township_id, Project.county_id))
        .order_by(t.township_id, Project.code, ProjectItem.code)
    )
    return frame(url, stmt, ["township_id", "project_code", "item_code", "target"])


@cached_query
def monthly_progress(url: str, scope: Scope, project_code: str, item_code: str) -> pd.DataFrame:
    """Per month from January to the period's end: done in the month (in the item's unit)."""
    e = ProgressEntry
    month = func.substr(func.cast(e.entry_date, ProjectItem.code.type), 6, 2)
    stmt = (
        select(month, func.sum(entry_value(ProjectItem.measure, e.quantity, e.amount_fen)))
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(
            Project.year == scope.year,
            Project.code == project_code,
            ProjectItem.code == item_code,
            e.deleted_at.is_(None),
            e.entry_date >= scope.year_start,
            e.entry_date <= scope.end,
            in_units(scope, e.township_id, Project.county_id),
        )
        .group_by(month)
        .order_by(month)
    )
    done = {int(m): float(v) for m, v in frame(url, stmt, ["month", "done"]).itertuples(index=False)}
    months = list(range(1, scope.end.month + 1))
    out = pd.DataFrame({"month": months, "done": [done.get(m, 0.0) for m in months]})
    out["cumulative"] = out["done"].cumsum()
    return out


ENTRY_COLUMNS = [
    "id",
    "entry_date",
    "township_id",
    "township",
    "project_code",
    "item_code",
    "item",
    "unit",
    "quantity",
    "amount_fen",
    "note",
    "warning_note",
    "created_by",
    "created_at",
    "deleted_at",
]


@cached_query
def entries(
    url: str,
    scope: Scope,
    project_code: str | None = None,
    item_code: str | None = None,
    deleted: bool = False,
    from_year_start: bool = True,
) -> pd.DataFrame:
    """The entries behind a figure (newest first): who entered what, when. ``deleted`` lists the bin."""
    e = ProgressEntry
    clauses = [
        Project.year == scope.year,
        e.entry_date <= scope.end,
        e.entry_date >= (scope.year_start if from_year_start else scope.start),
        in_units(scope, e.township_id, Project.county_id),
        e.deleted_at.is_not(None) if deleted else e.deleted_at.is_(None),
    ]
    if project_code:
        clauses.append(Project.code == project_code)
    if item_code:
        clauses.append(ProjectItem.code == item_code)
    stmt = (
        select(
            e.id,
            e.entry_date,
            e.township_id,
            func.coalesce(Township.name, "县本级"),
            Project.code,
            ProjectItem.code,
            ProjectItem.name,
            ProjectItem.unit,
            e.quantity,
            e.amount_fen,
            e.note,
            e.warning_note,
            e.created_by,
            e.created_at,
            e.deleted_at,
        )
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .outerjoin(Township, Township.id == e.township_id)
        .where(*clauses)
        .order_by(e.entry_date.desc(), e.id.desc())
    )
    return frame(url, stmt, ENTRY_COLUMNS)


@cached_query
def _entry(url: str, entry_id: int) -> dict | None:
    """One entry with its item (for the edit form), deleted or not."""
    e = ProgressEntry
    stmt = (
        select(
            e.id,
            e.item_id,
            e.township_id,
            e.entry_date,
            e.quantity,
            e.amount_fen,
            e.note,
            e.warning_note,
            e.created_by,
            e.created_at,
            e.deleted_at,
            Project.year,
            Project.code,
            ProjectItem.code,
            ProjectItem.name,
            ProjectItem.unit,
            ProjectItem.measure,
            ProjectItem.scope,
        )
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(e.id == entry_id)
    )
    cols = [
        "id",
        "item_id",
        "township_id",
        "entry_date",
        "quantity",
        "amount_fen",
        "note",
        "warning_note",
        "created_by",
        "created_at",
        "deleted_at",
        "year",
        "project_code",
        "item_code",
        "item",
        "unit",
        "measure",
        "scope",
    ]
    rows = frame(url, stmt, cols)
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["township_id"] = None if pd.isna(out["township_id"]) else int(out["township_id"])
    return out


def entry(url: str, entry_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_entry(url, entry_id))


@cached_query
def items_for_entry(url: str, year: int, county_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """The items one can record progress on in ``year`` (ids per county), in display order."""
    stmt = (
        select(
            ProjectItem.id,
            Project.county_id,
            Project.code,
            Project.name,
            ProjectItem.code,
            ProjectItem.name,
            ProjectItem.unit,
            ProjectItem.measure,
            ProjectItem.scope,
            ProjectItem.annual_target,
            ProjectItem.budget_fen,
            ProjectItem.unit_cost_min_fen,
            ProjectItem.unit_cost_max_fen,
            ProjectItem.plan_start_month,
            ProjectItem.plan_end_month,
        )
        .join(Project, Project.id == ProjectItem.project_id)
        .where(Project.year == year, Project.county_id.in_(county_ids) if county_ids else true())
        .order_by(Project.county_id, Project.sort_order, ProjectItem.sort_order)
    )
    return frame(
        url,
        stmt,
        [
            "item_id",
            "county_id",
            "project_code",
            "project",
            "item_code",
            "item",
            "unit",
            "measure",
            "scope",
            "annual_target",
            "budget_fen",
            "cost_min_fen",
            "cost_max_fen",
            "plan_start_month",
            "plan_end_month",
        ],
    )


COMPLETION_COLUMNS = ["township_id", "township", "target", "done_ytd", "completion", "status", "status_label"]


def township_completion(
    url: str,
    scope: Scope,
    today: date,
    project_code: str,
    item_code: str,
    thresholds: PaceThresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """Per township of the scope (county-wide entries as 县本级): target, done, completion, status.

    Sorted laggards first: lowest completion on top, townships without a target last.
    """
    from data_layer.queries.org import townships_in_scope

    done = township_progress(url, scope)
    done = done[(done.project_code == project_code) & (done.item_code == item_code)]
    targets = township_targets(url, scope)
    targets = targets[(targets.project_code == project_code) & (targets.item_code == item_code)]
    done_by = dict(zip(done["township_id"], done["done_ytd"], strict=True))
    goal_by = dict(zip(targets["township_id"], targets["target"], strict=True))
    towns = townships_in_scope(url, scope)
    units = list(zip(towns["township_id"], towns["label"], strict=True))
    if None in done_by:
        units.append((None, "县本级"))
    elapsed = item_elapsed(url, scope, today, project_code, item_code)
    rows = []
    for township_id, name in units:
        value = float(done_by.get(township_id, 0.0))
        target = goal_by.get(township_id)
        rate = completion(value, target)
        status = pace_status(rate, elapsed, thresholds)
        rows.append((township_id, name, target, value, rate, status, STATUS_LABELS[status]))
    out = pd.DataFrame(rows, columns=COMPLETION_COLUMNS)
    return out.sort_values(["completion", "done_ytd"], na_position="last", kind="stable").reset_index(drop=True)


def item_elapsed(url: str, scope: Scope, today: date, project_code: str, item_code: str) -> float:
    """One item's 序时进度: its planned months if it has a plan, otherwise the year's."""
    items = item_progress(url, scope)
    row = items[(items.project_code == project_code) & (items.item_code == item_code)]
    if row.empty:
        return time_elapsed(scope.year, scope.end, today)
    return planned_elapsed(scope.year, scope.end, today, row["plan_start_month"].iloc[0], row["plan_end_month"].iloc[0])


def completion_matrix(
    url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Township × item completion, and each cell's status, for the items whose targets are split by township."""
    from data_layer.queries.org import townships_in_scope

    towns = townships_in_scope(url, scope)
    order = list(towns["label"])
    rates, statuses = {}, {}
    for r in item_progress(url, scope).itertuples():
        table = township_completion(url, scope, today, r.project_code, r.item_code, thresholds)
        table = table[table["township_id"].notna()].set_index("township")
        if table["completion"].notna().any():
            key = f"{r.project_code}.{r.item_code}"
            rates[key], statuses[key] = table["completion"], table["status"]
    return pd.DataFrame(rates).reindex(order), pd.DataFrame(statuses).reindex(order)
