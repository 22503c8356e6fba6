"""填报情况: which township has entered which area's records for which month, and the closed months (结账)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import extract, func, literal, select, union_all

from data_layer.domain.scope import Scope
from data_layer.models import Article, Disbursement, IndicatorValue, PeriodLock, ProgressEntry, Township
from data_layer.queries._sql import frame

# The records a township enters, by area: (area, table's model, the date that puts a record in a month)
SOURCES = (
    ("重点工程", ProgressEntry, ProgressEntry.entry_date),
    ("补贴发放", Disbursement, Disbursement.paid_date),
    ("信息宣传", Article, Article.published_on),
    ("其他工作", IndicatorValue, IndicatorValue.period_start),
)
AREAS = [area for area, _, _ in SOURCES]


def _entered(area: str, model, day, scope: Scope):
    conditions = [day >= scope.start, day <= scope.end, model.township_id.is_not(None)]
    if hasattr(model, "deleted_at"):
        conditions.append(model.deleted_at.is_(None))
    if scope.township_ids:
        conditions.append(model.township_id.in_(scope.township_ids))
    return (
        select(
            literal(area).label("area"),
            model.township_id.label("township_id"),
            extract("month", day).label("month"),
            func.count().label("entries"),
            func.max(day).label("latest"),
        )
        .where(*conditions)
        .group_by(model.township_id, extract("month", day))
    )


def entered_by_month(url: str, scope: Scope) -> pd.DataFrame:
    """Per area, township and month of the scope: how many records were entered and the latest date.
    Townships without any record in a month are not in it (the page shows them as 未报)."""
    parts = union_all(*(_entered(area, model, day, scope) for area, model, day in SOURCES)).subquery()
    stmt = (
        select(parts.c.area, Township.name, parts.c.township_id, parts.c.month, parts.c.entries, parts.c.latest)
        .join(Township, Township.id == parts.c.township_id)
        .order_by(parts.c.area, Township.sort_order, parts.c.month)
    )
    found = frame(url, stmt, ["area", "township", "township_id", "month", "entries", "latest"])
    found["month"] = found["month"].astype(int)
    found["latest"] = pd.to_datetime(found["latest"]).dt.date
    return found


def not_reported(entered: pd.DataFrame, towns: list[str], month: int) -> list[str]:
    """The townships (in ``towns``' order) with no record of ``entered`` (one area) in ``month``: whom to chase."""
    reported = set(entered.loc[entered["month"] == month, "township"])
    return [t for t in towns if t not in reported]


def closed_months(url: str) -> pd.DataFrame:
    """Every closed month, oldest first: the month's first day, who closed it, when, and the note."""
    stmt = select(PeriodLock.month, PeriodLock.locked_by, PeriodLock.locked_at, PeriodLock.note).order_by(
        PeriodLock.month
    )
    found = frame(url, stmt, ["month", "locked_by", "locked_at", "note"])
    found["month"] = pd.to_datetime(found["month"]).dt.date
    return found


def months_of(scope: Scope, today: date) -> list[int]:
    """The months of the scope that have begun by ``today`` (a month not yet begun has nothing to chase)."""
    if scope.start > today:
        return []
    last = scope.end if scope.end <= today else today
    return list(range(scope.start.month, last.month + 1))
