"""The report's other work items: indicator values summed over the period."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, exists, false, func, literal, or_, select

from data_layer.access import Access
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import Indicator, IndicatorValue, SeedFigure, Township
from data_layer.queries._sql import frame, in_units


@cached_query
def totals(url: str, scope: Scope) -> pd.DataFrame:
    """Every indicator with the sum of its values whose period starts within the filter's."""
    v = IndicatorValue
    joined = and_(
        v.indicator_id == Indicator.id,
        v.deleted_at.is_(None),
        v.period_start >= scope.start,
        v.period_start <= scope.end,
        in_units(scope, v.township_id, v.county_id),
    )
    stmt = (
        select(Indicator.code, Indicator.name, Indicator.unit, Indicator.category, func.coalesce(func.sum(v.value), 0))
        .select_from(Indicator)
        .outerjoin(v, joined)
        .group_by(Indicator.id)
        .order_by(Indicator.sort_order, Indicator.id)
    )
    return frame(url, stmt, ["code", "indicator", "unit", "category", "value"])


def same_period_last_year(day: date) -> date:
    """The same day a year earlier; 29 February becomes the 28th (a period's end stays the month's end)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def report_period(scope: Scope) -> str:
    """The report's name for the filter's period (“2023-h1”), to find the figures it printed as “多”."""
    return f"{scope.year}-{scope.period}"


@cached_query
def year_on_year(url: str, scope: Scope) -> pd.DataFrame:
    """Every indicator with its value in the filter's period and in the same period of last year.

    A value counts in the period its start falls in; deleted values do not count. ``last_count`` is how many
    values last year had (0: nothing to compare with, not a zero), ``count`` the same for this period.
    ``at_least`` marks indicators whose report figure for this period is a “多” figure (metric_rule at_least):
    the value is a lower bound.
    """
    v = IndicatorValue
    last_start, last_end = same_period_last_year(scope.start), same_period_last_year(scope.end)
    now = v.period_start.between(scope.start, scope.end)
    last = v.period_start.between(last_start, last_end)
    joined = and_(
        v.indicator_id == Indicator.id,
        v.deleted_at.is_(None),
        or_(now, last),
        in_units(scope, v.township_id, v.county_id),
    )
    # The report's “多” figures are county-wide: a township's part of them is an ordinary value.
    printed_as_at_least = (
        exists()
        .where(
            SeedFigure.metric == literal("indicator:") + Indicator.code,
            SeedFigure.metric_rule == "at_least",
            SeedFigure.period == report_period(scope),
        )
        .correlate(Indicator)
    )
    at_least = printed_as_at_least if not scope.township_ids else false()
    stmt = (
        select(
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.category,
            func.coalesce(func.sum(case((now, v.value), else_=0)), 0),
            func.count(case((now, v.id))),
            func.coalesce(func.sum(case((last, v.value), else_=0)), 0),
            func.count(case((last, v.id))),
            case((at_least, 1), else_=0),
        )
        .select_from(Indicator)
        .outerjoin(v, joined)
        .group_by(Indicator.id, Indicator.code, Indicator.name, Indicator.unit, Indicator.category)
        .order_by(Indicator.sort_order, Indicator.id)
    )
    columns = ["code", "indicator", "unit", "category", "value", "count", "last_value", "last_count", "at_least"]
    df = frame(url, stmt, columns)
    df["at_least"] = df["at_least"].astype(bool)
    return df


@cached_query
def choices(url: str) -> pd.DataFrame:
    """The indicators an entry form offers, in the report's order."""
    i = Indicator
    stmt = select(i.id, i.category, i.name, i.unit).order_by(i.sort_order, i.id)
    return frame(url, stmt, ["indicator_id", "category", "indicator", "unit"])


# --- entered values, as the entry page lists them ---------------------------------------------------------

RECORD_COLUMNS = [
    "id",
    "indicator_id",
    "county_id",
    "township_id",
    "period_start",
    "period_end",
    "value",
    "note",
    "is_demo",
    "warning_note",
    "created_by",
    "created_at",
    "deleted_at",
]


@cached_query
def _value(url: str, value_id: int) -> dict | None:
    """One value by its number, deleted or not, with its indicator's name and unit."""
    v = IndicatorValue
    stmt = (
        select(*[getattr(v, c) for c in RECORD_COLUMNS], Indicator.name, Indicator.unit)
        .join(Indicator, Indicator.id == v.indicator_id)
        .where(v.id == value_id)
    )
    rows = frame(url, stmt, [*RECORD_COLUMNS, "indicator", "unit"])
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["township_id"] = None if pd.isna(out["township_id"]) else int(out["township_id"])
    out["deleted_at"] = None if pd.isna(out["deleted_at"]) else out["deleted_at"]
    return out


def value(url: str, value_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_value(url, value_id))


@cached_query
def values(url: str, scope: Scope, indicator_id: int | None = None, deleted: bool = False) -> pd.DataFrame:
    """The values whose period starts in the filter's (newest first); ``deleted``: the 回收站."""
    v = IndicatorValue
    clauses = [
        v.period_start >= scope.start,
        v.period_start <= scope.end,
        in_units(scope, v.township_id, v.county_id),
        v.deleted_at.is_not(None) if deleted else v.deleted_at.is_(None),
    ]
    if indicator_id is not None:
        clauses.append(v.indicator_id == indicator_id)
    stmt = (
        select(
            v.id.label("id"),
            v.period_start.label("period_start"),
            v.period_end.label("period_end"),
            v.indicator_id.label("indicator_id"),
            Indicator.name.label("indicator"),
            Indicator.unit.label("unit"),
            v.township_id.label("township_id"),
            func.coalesce(Township.name, "县本级").label("township"),
            v.value.label("value"),
            v.note.label("note"),
            v.warning_note.label("warning_note"),
            v.created_by.label("created_by"),
            v.created_at.label("created_at"),
            v.deleted_at.label("deleted_at"),
        )
        .join(Indicator, Indicator.id == v.indicator_id)
        .outerjoin(Township, Township.id == v.township_id)
        .where(*clauses)
        .order_by(v.period_start.desc(), v.id.desc())
    )
    return frame(url, stmt, [c.name for c in stmt.selected_columns])


@cached_query
def totals_by_township(url: str, scope: Scope, indicator_id: int) -> dict[int | None, tuple[int, int]]:
    """The indicator's values starting in the period per township (``None``: 县本级), as (sum, how many):
    what the month grid shows as already recorded."""
    v = IndicatorValue
    stmt = (
        select(v.township_id, func.sum(v.value), func.count(v.id))
        .where(
            v.indicator_id == indicator_id,
            v.deleted_at.is_(None),
            v.period_start >= scope.start,
            v.period_start <= scope.end,
            in_units(scope, v.township_id, v.county_id),
        )
        .group_by(v.township_id)
    )
    found = frame(url, stmt, ["township_id", "value", "count"])
    return {
        (None if pd.isna(t) else int(t)): (int(total), int(n))
        for t, total, n in zip(found["township_id"], found["value"], found["count"], strict=True)
    }
