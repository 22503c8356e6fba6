"""Subsidy disbursements: amounts and recipients by type (and later by township and month)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, select

from data_layer.cache import cached_query
from data_layer.models import Disbursement, SubsidyType
from data_layer.queries._sql import frame, in_units, with_township_ids
from data_layer.scope import Scope

TYPE_COLUMNS = ["type_code", "type", "unit", "payment", "amount_fen", "recipients", "payments"]


def _in_scope(scope: Scope):
    d = Disbursement
    return and_(
        d.deleted_at.is_(None),
        d.paid_date >= scope.start,
        d.paid_date <= scope.end,
        in_units(scope, d.township_id, d.county_id),
    )


@cached_query
def totals_by_type(url: str, scope: Scope) -> pd.DataFrame:
    """Per type: money paid in the period and the recipients it reached.

    Recipients: a monthly subsidy pays the same roll every month, so its recipients are
    the largest monthly roll of each township, summed; yearly and one-off payments add up.
    """
    d = Disbursement
    per_unit = (
        select(
            d.type_id,
            func.sum(d.amount_fen).label("amount_fen"),
            func.max(d.recipients).label("max_roll"),
            func.sum(d.recipients).label("sum_roll"),
            func.count().label("payments"),
        )
        .where(_in_scope(scope))
        .group_by(d.type_id, d.county_id, d.township_id)
    ).subquery()
    monthly = SubsidyType.payment == "monthly"
    stmt = (
        select(
            SubsidyType.code,
            SubsidyType.name,
            SubsidyType.unit,
            SubsidyType.payment,
            func.coalesce(func.sum(per_unit.c.amount_fen), 0),
            func.coalesce(func.sum(case((monthly, per_unit.c.max_roll), else_=per_unit.c.sum_roll)), 0),
            func.coalesce(func.sum(per_unit.c.payments), 0),
        )
        .select_from(SubsidyType)
        .outerjoin(per_unit, per_unit.c.type_id == SubsidyType.id)
        .group_by(SubsidyType.id)
        .order_by(SubsidyType.sort_order, SubsidyType.id)
    )
    return frame(url, stmt, TYPE_COLUMNS)


@cached_query
def totals_by_township(url: str, scope: Scope) -> pd.DataFrame:
    """Per township (None = 县本级) and type: money paid and recipients (same rule as by type)."""
    d = Disbursement
    monthly = SubsidyType.payment == "monthly"
    stmt = (
        select(
            d.township_id,
            SubsidyType.code,
            func.sum(d.amount_fen),
            case((monthly, func.max(d.recipients)), else_=func.sum(d.recipients)),
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .where(_in_scope(scope))
        .group_by(d.township_id, SubsidyType.code, SubsidyType.payment)
    )
    return with_township_ids(frame(url, stmt, ["township_id", "type_code", "amount_fen", "recipients"]))
