"""The report's other work items: indicator values summed over the period."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, select

from data_layer.cache import cached_query
from data_layer.models import Indicator, IndicatorValue
from data_layer.queries._sql import frame, in_units
from data_layer.scope import Scope


@cached_query
def totals(url: str, scope: Scope) -> pd.DataFrame:
    """Every indicator with the sum of its values whose period starts within the filter's."""
    v = IndicatorValue
    joined = and_(
        v.indicator_id == Indicator.id,
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
